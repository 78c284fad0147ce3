using LtxLocal.Torch.NN;

namespace LtxLocal.Models.TextEncoder.Gemma;

/// <summary>
/// The Gemma 3 text tower (HF Gemma3TextModel, under <c>language_model.model.</c> in the released multimodal
/// checkpoint): the shared tower with (1 + w) norms, one head size for both layer kinds and Gemma 3 attention.
/// </summary>
public sealed class Gemma3TextModel(Gemma3Config config, ModuleOptions? options = null)
    : GemmaTextTower(config.Tower, (_, o) => new Gemma3Attention(config, o), options)
{
    public Gemma3Config Config => config;
}
