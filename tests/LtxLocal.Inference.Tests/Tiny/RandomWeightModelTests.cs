using LtxLocal.Inference.Catalog;
using LtxLocal.Inference.Pipelines;
using LtxLocal.Inference.Tiny;
using LtxLocal.Torch.Safetensors;

namespace LtxLocal.Inference.Tests.Tiny;

/// <summary>A configuration's model folder with header-only weights (<see cref="RandomWeightModel"/>).</summary>
public sealed class RandomWeightModelTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ltx-rwm-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("tiny")]
    [InlineData("ltx-2.3")] // the released sizes: ~70 GB of weights, headers only
    [InlineData("ltx-2")]
    public void Writes_header_only_files_the_catalog_reads_as_a_distilled_model(string configuration)
    {
        var folder = Path.Combine(_dir, RandomWeightModel.Id);
        RandomWeightModel.Create(folder, configuration == "tiny" ? RandomWeightModel.TinyConfiguration() : RandomWeightModel.From(ReleasedModels.Find(configuration)!),
            fullTextEncoder: true);

        var files = ModelFiles.Locate(folder, out var problem);
        Assert.True(files is not null, problem);
        Assert.Contains(PipelineNames.Distilled, files!.Pipelines);
        Assert.True(File.Exists(Path.Combine(files.Gemma, "tokenizer.json")) && !File.Exists(Path.Combine(files.Gemma, "tokenizer.model")));
        foreach (var path in Directory.GetFiles(folder, "*.safetensors", SearchOption.AllDirectories))
        {
            using var file = SafetensorsFile.Open(path);
            Assert.NotNull(RandomWeights.From(file.Metadata)); // every file's values are drawn on load, Gemma's too
        }
    }
}
