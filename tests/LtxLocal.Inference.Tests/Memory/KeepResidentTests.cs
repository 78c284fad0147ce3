using LtxLocal.Inference.Catalog;
using LtxLocal.Inference.Memory;
using LtxLocal.Inference.Pipelines;
using LtxLocal.Inference.Requests;
using LtxLocal.Media;
using LtxLocal.Server.Testing;
using LtxLocal.Torch;

namespace LtxLocal.Inference.Tests.Memory;

/// <summary>
/// Networks kept between jobs (<see cref="ResidentNetworks"/>) on the tiny model on the CPU: under the sequential plan the
/// kept text encoder and transformer stay loaded after a job and are not reloaded by the next one, the other networks
/// are released, and the output is the same bytes; a plan change moves a network whose placement did not change over
/// as it is; the estimator counts kept networks in every phase as the ledger sees them.
/// </summary>
[Trait("Category", "EndToEnd")]
[Trait("Component", "memory")]
public sealed class KeepResidentTests(TinyPlanModel tiny) : IClassFixture<TinyPlanModel>
{
    private static readonly ResidentNetworks TextAndTransformer = ResidentNetworks.Parse("text_encoder,transformer");

    private static void Run(LtxVideoGenerator generator, GenerationRequest request) =>
        generator.GenerateAsync(request, [], new DiscardingSink(), new Progress<GenerationProgress>(), CancellationToken.None).GetAwaiter().GetResult();

    [Fact]
    public void Sequential_keeps_the_kept_networks_across_jobs_and_plan_changes_and_releases_the_rest()
    {
        var sequential = MemoryPlan.Parse("sequential");
        var request = tiny.Resolve(TinyPlanModel.Ask("distilled", image: false)) with { MemoryPlan = new PlannedMemory("sequential", 0, null, 0) };
        using var model = LoadedModel.Load(tiny.Files, Device.Cpu, FfmpegTools.Locate(null, null), sequential, kept: TextAndTransformer);
        Assert.True(model.Transformer.IsLoaded && model.PromptEncoder.IsLoaded, "kept networks load with the model");
        var transformer = model.Transformer.Use(t => t);
        var generator = new LtxVideoGenerator(model);

        Run(generator, request);
        Assert.Same(model, generator.Model);
        Assert.Same(transformer, model.Transformer.Use(t => t));
        Assert.False(model.VideoDecoder.IsLoaded || model.Upsampler!.IsLoaded || model.AudioDecoder!.IsLoaded, "networks not kept are released");
        var ledger = generator.LastLedger!;
        long keptBytes = ledger["text"]!.WeightBytes;
        Assert.True(keptBytes > 0);
        Assert.True(ledger["decode"]!.WeightBytes > keptBytes, "the decoder comes in on top of the kept networks");

        // resident+text-cpu on the CPU: the transformer (and the CPU text encoder) load the same way, so they move over.
        Run(generator, request with { MemoryPlan = new PlannedMemory("resident+text-cpu", 0, null, 0) });
        Assert.NotSame(model, generator.Model);
        Assert.Same(transformer, generator.Model.Transformer.Use(t => t));
        // fp8 loads the transformer another way: a new one.
        Run(generator, request with { MemoryPlan = new PlannedMemory("sequential+fp8", 0, null, 0) });
        Assert.NotSame(transformer, generator.Model.Transformer.Use(t => t));
        generator.Model.Dispose();
    }

    [Fact]
    public void Kept_networks_give_the_same_bytes_and_the_estimator_counts_them_as_the_ledger_does()
    {
        var plan = MemoryPlan.Parse("sequential");
        var request = tiny.Resolve(TinyPlanModel.Ask("distilled", image: false));
        var plain = tiny.Run(plan, request);
        var kept = tiny.Run(plan, request, kept: TextAndTransformer);
        Assert.Equal(plain.Digest, kept.Digest);

        var shape = new GenerationShape(request.ModelId, request.Pipeline, request.Width, request.Height, request.NumFrames, request.GenerateAudio);
        var catalog = new ModelDirectoryCatalog(Path.GetDirectoryName(tiny.Directory)!);
        var without = new VramEstimator(catalog, elementSize: 4, fusedAttention: false).Estimate(shape, plan);
        var with = new VramEstimator(catalog, elementSize: 4, fusedAttention: false) { Kept = TextAndTransformer }.Estimate(shape, plan);
        foreach (var phase in kept.Ledger.Phases.Where(p => with[p.Phase] is not null))
        {
            Assert.Equal(phase.WeightBytes, with[phase.Phase]!.WeightBytes);
            Assert.True(with[phase.Phase]!.WeightBytes >= without[phase.Phase]!.WeightBytes);
        }
        Assert.True(with["decode"]!.WeightBytes > without["decode"]!.WeightBytes);
        Assert.True(kept.Ledger.PeakBytes <= with.PeakBytes);
    }

    private sealed class DiscardingSink : IFrameSink
    {
        public ValueTask WriteFrameAsync(ReadOnlyMemory<byte> rgb24, CancellationToken cancellationToken) => ValueTask.CompletedTask;
        public ValueTask WriteAudioAsync(ReadOnlyMemory<float> interleavedPcm, int sampleRate, int channels, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
