using System.Reflection;
using System.Text.Json;
using LtxLocal.Inference.Memory;
using LtxLocal.Inference.Pipelines;

namespace LtxLocal.Inference.Catalog;

/// <summary>
/// The released configurations (LTX-2 19B, LTX-2.3 22B, LTX-2.5 22B with their text encoders, VAEs, vocoders and x2
/// upsamplers) kept in the repository as the config metadata their checkpoints carry (Catalog/Released/*.json, embedded
/// in this assembly so a self-contained publish has them; sources in Catalog/Released/README.md). A generation file
/// holds the single-file checkpoint's <c>__metadata__</c> (the same metadata a model folder's headers give), the
/// upsampler's, and names its text encoder's Hugging Face config.json (a file beside it).
/// </summary>
public static class ReleasedModels
{
    private const string ResourcePrefix = "LtxLocal.Inference.Catalog.Released.";
    private static readonly string[] Generations = ["ltx-2", "ltx-2.3", "ltx-2.5"];

    private static readonly Lazy<IReadOnlyList<ReleasedModel>> Loaded = new(Load);

    /// <summary>Every name <see cref="Find"/> accepts: per generation, both files, the distilled one and the dev one.</summary>
    public static IReadOnlyList<ReleasedModel> All => Loaded.Value;

    public static ReleasedModel? Find(string name) => All.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The generations alone (distilled and two-stage each): the README table's rows.</summary>
    public static IEnumerable<ReleasedModel> Generationwise => All.Where(m => Generations.Contains(m.Name));

    private static IReadOnlyList<ReleasedModel> Load()
    {
        var list = new List<ReleasedModel>();
        foreach (var generation in Generations)
        {
            using var document = JsonDocument.Parse(Resource(generation + ".json"));
            var root = document.RootElement;
            using var gemma = JsonDocument.Parse(Resource(root.GetProperty("text_encoder").GetString()!));
            var checkpoint = ModelConfigs.MetadataFrom(root.GetProperty("checkpoint_metadata"));
            var source = $"released configuration {generation}";
            // The single-file checkpoint (LTX-2, 2.3) carries every section in one header; LTX-2.5's split files carry the
            // same sections one per file, which changes nothing here.
            var configs = new ModelConfigs(source, checkpoint, checkpoint, checkpoint, checkpoint,
                ModelConfigs.MetadataFrom(root.GetProperty("upsampler_metadata")), gemma.RootElement.Clone());
            var files = root.GetProperty("files").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
            var title = root.GetProperty("title").GetString()!;
            list.Add(new ReleasedModel(generation, title, [PipelineNames.Distilled, PipelineNames.TwoStage], configs, files));
            list.Add(new ReleasedModel(generation + "-distilled", title + " distilled", [PipelineNames.Distilled], configs, files));
            list.Add(new ReleasedModel(generation + "-dev", title + " dev", [PipelineNames.TwoStage, PipelineNames.OneStage], configs, files));
        }
        return list;
    }

    private static string Resource(string file)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourcePrefix + file)
            ?? throw new InvalidOperationException($"the released configuration {file} is not embedded in {Assembly.GetExecutingAssembly().GetName().Name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
