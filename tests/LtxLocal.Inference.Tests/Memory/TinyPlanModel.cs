using System.Security.Cryptography;
using LtxLocal.Inference.Catalog;
using LtxLocal.Inference.Memory;
using LtxLocal.Inference.Pipelines.Blocks;
using LtxLocal.Inference.Pipelines;
using LtxLocal.Inference.Requests;
using LtxLocal.Inference.Tiny;
using LtxLocal.Media;
using LtxLocal.Server.Testing;
using LtxLocal.Torch;

namespace LtxLocal.Inference.Tests.Memory;

/// <summary>
/// The tiny model in a temp folder, run on the CPU under a given memory plan straight through the generator: what the
/// generator writes to its sink (every RGB24 frame, then the PCM track: the bytes the encoder turns into the file) is
/// hashed, and the job's ledger kept.
/// </summary>
public sealed class TinyPlanModel : IDisposable
{
    private readonly FfmpegTools _ffmpeg = FfmpegTools.Locate(null, null);

    public TinyPlanModel()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("ltx-plans-").FullName;
        TinyModel.Create(Directory, seed: 3);
        Files = ModelFiles.Locate(Directory, out var problem) ?? throw new InvalidOperationException(problem);
        Descriptor = ModelDirectoryCatalog.Describe(Directory, out problem) ?? throw new InvalidOperationException(problem);
    }

    public string Directory { get; }
    public ModelFiles Files { get; }
    public ModelDescriptor Descriptor { get; }

    public static GenerationAsk Ask(string pipeline, bool image) => new("a lighthouse at dusk, waves below")
    {
        Pipeline = pipeline, Resolution = (128, 128), Duration = 4, Fps = 24, Seed = 77, GenerateAudio = true,
        Steps = pipeline == "distilled" ? null : 2, NegativePrompt = pipeline == "distilled" ? null : "blurry",
        Image = image ? new ImageAsk("image.png", 96, 80) : null,
    };

    public GenerationRequest Resolve(GenerationAsk ask) => new GenerationResolver(new ResolverLimits()).Resolve(ask, Descriptor).Request;

    public PlanRun Run(MemoryPlan plan, GenerationRequest request, MemoryLedger? ledger = null, PromptEmbeddingCache? promptCache = null,
        ResidentNetworks? kept = null)
    {
        using var model = LoadedModel.Load(Files, Device.Cpu, _ffmpeg, plan, ledger, promptCache, kept);
        var generator = new LtxVideoGenerator(model);
        var images = request.Images.Select(i => new ConditioningImage(TestImages.Gradient(i.Width, i.Height), i.Width, i.Height, i.FrameIndex)).ToList();
        var sink = new HashingSink();
        generator.GenerateAsync(request, images, sink, new Progress<GenerationProgress>(), CancellationToken.None).GetAwaiter().GetResult();
        return new PlanRun(sink.Digest(), generator.LastLedger!);
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);

    public sealed record PlanRun(string Digest, LedgerSnapshot Ledger);

    private sealed class HashingSink : IFrameSink
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public ValueTask WriteFrameAsync(ReadOnlyMemory<byte> rgb24, CancellationToken cancellationToken)
        {
            _hash.AppendData(rgb24.Span);
            return ValueTask.CompletedTask;
        }

        public ValueTask WriteAudioAsync(ReadOnlyMemory<float> interleavedPcm, int sampleRate, int channels, CancellationToken cancellationToken)
        {
            _hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(interleavedPcm.Span));
            return ValueTask.CompletedTask;
        }

        public string Digest() => Convert.ToHexString(_hash.GetHashAndReset());
    }
}
