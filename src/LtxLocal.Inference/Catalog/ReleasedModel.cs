using LtxLocal.Inference.Memory;

namespace LtxLocal.Inference.Catalog;

/// <summary>
/// One released configuration whose config metadata the repository keeps (<see cref="ReleasedModels"/>): a generation
/// (ltx-2, ltx-2.3, ltx-2.5) and which of its transformer files it means: the distilled one (the distilled pipeline),
/// the dev one (two-stage, with the distilled LoRA for stage 2, and one-stage), or both (the generation's own name).
/// Files names the release's files, for the reader.
/// </summary>
public sealed record ReleasedModel(string Name, string Title, IReadOnlyList<string> Pipelines, ModelConfigs Configs, IReadOnlyDictionary<string, string> Files)
{
    /// <summary>The generation's audio: every release has an audio VAE and vocoder.</summary>
    public bool HasAudio => Configs.AudioVae is not null && Configs.Vocoder is not null;
}
