using LtxLocal.Models.Checkpoints;
using LtxLocal.Models.Transformer;
using LtxLocal.Testing;
using LtxLocal.Torch;
using LtxLocal.Torch.Safetensors;

namespace LtxLocal.Models.Tests.Checkpoints;

/// <summary>A real-format transformer checkpoint for loader tests: the ltx23_22b fixture's weights, plus a temp folder.</summary>
public sealed class TransformerCheckpointFixture : IDisposable
{
    public TransformerCheckpointFixture()
    {
        Case = new FixtureCase("transformer", "ltx23_22b");
        Weights = SafetensorsFile.Open(Case.WeightsPath);
        Config = LtxModelConfig.FromMetadata(Weights.Metadata, Case.WeightsPath);
        Directory = System.IO.Directory.CreateTempSubdirectory("ltx-transformer-test").FullName;
    }

    public FixtureCase Case { get; }

    public SafetensorsFile Weights { get; }

    public LtxModelConfig Config { get; }

    public string Directory { get; }

    public LtxModel LoadFloat32(bool fp8Cast = false) =>
        TransformerLoader.Load(Weights, Config, new TransformerLoadOptions { DType = DType.Float32, Fp8Cast = fp8Cast });

    /// <summary>The case's video modality (inputs for a forward).</summary>
    public (Modality Video, Modality Audio) Inputs()
    {
        Modality Read(string s) => new(Case.Tensor($"in.{s}.latent"), Case.Tensor($"in.{s}.sigma"), Case.Tensor($"in.{s}.timesteps"),
            Case.Tensor($"in.{s}.positions"), Case.Tensor($"in.{s}.context"));
        return (Read("video"), Read("audio"));
    }

    public void Dispose()
    {
        Weights.Dispose();
        Case.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
