using LtxLocal.Inference.Catalog;
using LtxLocal.Inference.Tiny;

namespace LtxLocal.Inference.Tests.Catalog;

/// <summary>Model discovery over a real (tiny) model folder: from its manifest, and from the files alone.</summary>
[Trait("Component", "pipelines")]
public sealed class ModelDirectoryCatalogTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("ltx-catalog-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Manifest_names_the_model_and_the_default_alias_resolves_to_it()
    {
        TinyModel.Create(Path.Combine(_root, "tiny"));
        var catalog = new ModelDirectoryCatalog(_root);
        var model = Assert.Single(catalog.List());
        Assert.Equal(TinyModel.Id, model.Id);
        Assert.Same(model, catalog.Resolve(IModelCatalog.DefaultAlias));
        Assert.Same(model, catalog.Resolve("tiny"));
    }

    [Fact]
    public void Files_without_a_manifest_are_detected_with_their_components_and_pipelines()
    {
        var dir = Path.Combine(_root, "my-ltx");
        TinyModel.Create(dir);
        File.Delete(Path.Combine(dir, ModelDirectoryCatalog.ManifestName));

        var model = Assert.Single(new ModelDirectoryCatalog(_root).List());
        Assert.Equal("my-ltx", model.Id);
        Assert.True(model.HasAudio);
        Assert.Equal(["distilled", "one-stage", "two-stage"], model.Pipelines);
        var files = ModelFiles.Locate(dir, out _)!;
        Assert.Equal(Path.Combine(dir, TinyModel.UpsamplerFile), files.Upsampler);
        Assert.Equal(Path.Combine(dir, TinyModel.LoraFile), files.DistilledLora);
        Assert.Equal(new Version(2, 3, 0), files.Version);
    }

    [Fact]
    public void A_folder_missing_a_component_is_reported_not_listed()
    {
        var dir = Path.Combine(_root, "broken");
        TinyModel.Create(dir);
        File.Delete(Path.Combine(dir, ModelDirectoryCatalog.ManifestName));
        Directory.Delete(Path.Combine(dir, TinyModel.GemmaFolder), recursive: true);

        var catalog = new ModelDirectoryCatalog(_root);
        Assert.Empty(catalog.List());
        Assert.Contains("Gemma", Assert.Single(catalog.Problems));
    }

    [Fact]
    public void Prompt_enhancement_is_available_per_request_kind_once_its_system_prompt_is_placed()
    {
        var dir = Path.Combine(_root, "tiny");
        TinyModel.Create(dir);
        var prompts = Path.Combine(dir, ModelFiles.PromptsFolder);
        var before = Assert.Single(new ModelDirectoryCatalog(_root).List()).Enhancement!;
        Assert.Null(before.SystemPromptFile(textToVideo: true));
        Assert.Contains(prompts, before.WhyNot(textToVideo: true));
        Assert.Contains("gemma3_t2v_system_prompt.txt", before.WhyNot(textToVideo: true));

        Directory.CreateDirectory(prompts);
        File.WriteAllText(Path.Combine(prompts, "gemma3_t2v_system_prompt.txt"), "Describe the video.");
        var after = ModelFiles.Locate(dir, out _)!.Enhancement;
        Assert.Null(after.WhyNot(textToVideo: true));
        Assert.Equal(Path.Combine(prompts, "gemma3_t2v_system_prompt.txt"), after.SystemPromptFile(textToVideo: true));
        Assert.Contains("gemma3_i2v_system_prompt.txt", after.WhyNot(textToVideo: false));
    }

    [Fact]
    public void A_Gemma_4_encoder_cannot_enhance_even_with_system_prompts()
    {
        var dir = Path.Combine(_root, "ltx-2.5");
        var gemma = Directory.CreateDirectory(Path.Combine(dir, "gemma")).FullName;
        File.WriteAllText(Path.Combine(gemma, "config.json"), """{"model_type": "gemma4_unified"}""");
        File.WriteAllBytes(Path.Combine(gemma, "tokenizer.model"), []);
        var prompts = Directory.CreateDirectory(Path.Combine(dir, ModelFiles.PromptsFolder)).FullName;
        File.WriteAllText(Path.Combine(prompts, "gemma3_t2v_system_prompt.txt"), "Describe the video.");

        var enhancement = ModelFiles.EnhancementOf(dir, ModelFiles.GemmaFolder(dir));
        Assert.Null(enhancement.SystemPromptFile(textToVideo: true));
        Assert.Contains("only encodes", enhancement.WhyNot(textToVideo: true));
        Assert.Contains("gemma4_unified", enhancement.WhyNot(textToVideo: false));
    }

    [Fact]
    public void Tiny_model_bytes_depend_only_on_the_seed()
    {
        TinyModel.Create(Path.Combine(_root, "a"), seed: 5);
        TinyModel.Create(Path.Combine(_root, "b"), seed: 5);
        Assert.Equal(File.ReadAllBytes(Path.Combine(_root, "a", TinyModel.BundleFile)), File.ReadAllBytes(Path.Combine(_root, "b", TinyModel.BundleFile)));
    }

    [Fact]
    public void Pipelines_come_from_the_files_not_from_the_manifest()
    {
        var dir = Path.Combine(_root, "tiny");
        TinyModel.Create(dir);
        File.WriteAllText(Path.Combine(dir, ModelDirectoryCatalog.ManifestName),
            """{"id": "claims-two-stage", "pipelines": ["distilled", "one-stage", "two-stage"], "audio": true}""");
        File.Delete(Path.Combine(dir, TinyModel.UpsamplerFile));

        var model = Assert.Single(new ModelDirectoryCatalog(_root).List());
        Assert.Equal("claims-two-stage", model.Id);
        Assert.Equal(["distilled", "one-stage"], model.Pipelines);
        Assert.Equal(new Version(2, 3, 0), model.ModelVersion);
        Assert.Equal("conv", model.VideoDecoder);
    }

    [Fact]
    public void A_folder_is_read_once_and_again_only_when_its_files_change()
    {
        var dir = Path.Combine(_root, "tiny");
        TinyModel.Create(dir);
        var catalog = new ModelDirectoryCatalog(_root, rescan: TimeSpan.Zero);
        var first = Assert.Single(catalog.List());
        var again = Assert.Single(catalog.List());
        Assert.Same(first.Files, again.Files); // the same finding, not a re-read of the headers
        Assert.Contains("two-stage", first.Pipelines);

        File.Delete(Path.Combine(dir, TinyModel.UpsamplerFile));
        var changed = Assert.Single(catalog.List());
        Assert.NotSame(first.Files, changed.Files);
        Assert.DoesNotContain("two-stage", changed.Pipelines);
        Assert.Null(changed.Files!.Upsampler);
    }

    [Fact]
    public void Loras_in_the_loras_folder_are_listed_checked_against_the_transformer_and_picked_up_when_added()
    {
        var dir = Path.Combine(_root, "tiny");
        TinyModel.Create(dir);
        var catalog = new ModelDirectoryCatalog(_root, rescan: TimeSpan.Zero);
        Assert.Empty(Assert.Single(catalog.List()).Loras);

        TinyLoras.WriteStyle(dir, "style", seed: 1);
        TinyLoras.WriteForeign(dir, "foreign");
        File.WriteAllText(Path.Combine(dir, LoraFolder.Name, "notes.txt"), "not a LoRA");
        var loras = Assert.Single(catalog.List()).Loras;
        Assert.Equal(["foreign", "style"], loras.Select(l => l.Name));
        var style = loras[1];
        Assert.Null(style.Problem);
        Assert.Equal(2 * 4, style.Layers); // 2 blocks x (to_k, to_v, attn2.to_out.0, ff.net.0.proj)
        Assert.Contains("none of its 2 layers matches", loras[0].Problem);

        File.Delete(Path.Combine(dir, LoraFolder.Name, "style.safetensors"));
        Assert.Equal(["foreign"], Assert.Single(catalog.List()).Loras.Select(l => l.Name));
    }

    [Theory]
    [InlineData("2.3.0", 2, 3)]
    [InlineData("2.4-rc2", 2, 4)]
    [InlineData("2.3.rc1", 2, 3)]
    [InlineData("", -1, -1)]
    [InlineData("dev", -1, -1)]
    public void Model_versions_parse_as_the_reference_normalises_them(string text, int major, int minor)
    {
        var version = ModelFiles.ParseVersion(text);
        (int, int)? expected = major < 0 ? null : (major, minor);
        Assert.Equal(expected, version is null ? null : (version.Major, version.Minor));
    }
}
