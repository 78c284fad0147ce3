using LtxLocal.Inference.Catalog;
using LtxLocal.Inference.Pipelines;
using LtxLocal.Inference.Requests;
using LtxLocal.Inference.Tests.EndToEnd;
using LtxLocal.Inference.Tiny;
using LtxLocal.Media;
using LtxLocal.Models.AudioVae;
using LtxLocal.Torch;

namespace LtxLocal.Inference.Tests.Pipelines;

/// <summary>
/// The retake pipeline at the latent level, on the tiny model and a clip ffmpeg makes here: with replace_audio the
/// final video latent is the source's encoded latent (the frozen stream walks back to it), and with
/// replace_audio_and_video every latent frame wholly outside [start, end) — video frames from the causal pixel spans,
/// audio frames from their causal 40 ms spans — equals the source's, while the region itself changes.
/// </summary>
[Trait("Category", "EndToEnd")]
[Trait("Component", "pipelines")]
public sealed class RetakeLatentTests : IDisposable
{
    private const double Fps = 25, Start = 0.6, End = 1.0;
    private readonly string _root = Directory.CreateTempSubdirectory("ltx-retake-").FullName;

    [Fact]
    public async Task Tokens_outside_the_region_and_a_kept_video_equal_the_source()
    {
        var dir = Path.Combine(_root, "tiny");
        TinyModel.Create(dir, seed: 3);
        var descriptor = ModelDirectoryCatalog.Describe(dir, out var problem) ?? throw new InvalidOperationException(problem);
        var clip = Path.Combine(_root, "clip.mp4");
        await SourceMediaFiles.FfmpegAsync(["-f", "lavfi", "-i", "testsrc=s=64x64:r=25:d=1.32", "-f", "lavfi", "-i", "sine=f=330:d=1.32:r=44100",
            "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", clip]);
        using var model = LoadedModel.Load(ModelFiles.Locate(dir, out _)!, Device.Cpu, FfmpegTools.Locate(null, null));

        var (keptVideo, source) = Retake(model, descriptor, clip, SourceTasks.ReplaceAudio);
        using (keptVideo)
        using (source)
            AssertClose(source.Video, keptVideo.Latents.Video, "the kept video latent");

        var (both, encoded) = Retake(model, descriptor, clip, SourceTasks.ReplaceAudioAndVideo);
        using (both)
        using (encoded)
        {
            var request = both.Request;
            var outsideVideo = Enumerable.Range(0, (int)encoded.Video.Size(2)).Where(i => !Overlaps(VideoSpan(i), Start, End)).ToList();
            var outsideAudio = Enumerable.Range(0, (int)encoded.Audio!.Size(2)).Where(i => !Overlaps(AudioSpan(i), Start, End)).ToList();
            Assert.NotEmpty(outsideVideo);
            Assert.True(outsideVideo.Count < encoded.Video.Size(2));
            foreach (var i in outsideVideo) AssertClose(encoded.Video.Narrow(2, i, 1), both.Latents.Video.Narrow(2, i, 1), $"video latent frame {i}");
            foreach (var i in outsideAudio) AssertClose(encoded.Audio.Narrow(2, i, 1), both.Latents.Audio!.Narrow(2, i, 1), $"audio latent frame {i}");
            var inside = Enumerable.Range(0, (int)encoded.Video.Size(2)).Except(outsideVideo).First();
            Assert.True(MaxDifference(encoded.Video.Narrow(2, inside, 1), both.Latents.Video.Narrow(2, inside, 1)) > 1e-2, "the region did not change");
            Assert.Equal(33, request.NumFrames);
        }
    }

    /// <summary>Latent frame i's pixel frames in seconds: frame 0 alone, then 8 frames each (the causal first frame).</summary>
    private static (double, double) VideoSpan(int i) => i == 0 ? (0, 1 / Fps) : ((8 * (i - 1) + 1) / Fps, (8 * i + 1) / Fps);

    /// <summary>Audio latent frame i's span: 4 mel frames of 10 ms, causal (shifted back by 3 mel frames, clamped at 0).</summary>
    private static (double, double) AudioSpan(int i) => (Math.Max(0, 4 * i - 3) * 0.01, (4 * i + 1) * 0.01);

    private static bool Overlaps((double Start, double End) span, double start, double end) => span.End > start && span.Start < end;

    private sealed record Outcome(GenerationRequest Request, PipelineLatents Latents) : IDisposable
    {
        public void Dispose() => Latents.Dispose();
    }

    private sealed record Encoded(Tensor Video, Tensor? Audio) : IDisposable
    {
        public void Dispose()
        {
            Video.Dispose();
            Audio?.Dispose();
        }
    }

    /// <summary>Runs a distilled retake of [Start, End) and encodes the source clip the same way, independently of the run.</summary>
    private static (Outcome, Encoded) Retake(LoadedModel model, ModelDescriptor descriptor, string clip, string mode)
    {
        var ask = new GenerationAsk("a different pattern") { Resolution = (64, 64), Seed = 21, Source = new RequestSource(SourceTasks.Retake, clip)
        {
            Start = Start, End = End, Mode = mode, SourceFrames = 33, SourceFps = Fps, SourceHasAudio = true,
        } };
        var request = new GenerationResolver(new ResolverLimits()).Resolve(ask, descriptor).Request;
        var pipeline = VideoPipelines.For(request);
        var plan = new ProgressPlan(new Progress<GenerationProgress>());
        pipeline.PlanProgress(plan, request, model);
        using var generator = new Generator(21, model.Device);
        var run = new PipelineRun(model, request, [], generator, plan, CancellationToken.None);
        var latents = pipeline.Run(run);
        var video = SourceClip.EncodeFrames(model, SourceClip.ReadFrames(run, 0, request.NumFrames), 64, 64);
        var audio = SourceClip.EncodeAudio(run, 0, request.NumFrames / Fps, AudioLatentShape.FramesForVideo(request.NumFrames, Fps));
        return (new Outcome(request, latents), new Encoded(video, audio));
    }

    private static double MaxDifference(Tensor a, Tensor b)
    {
        using var difference = (a - b).Abs().Amax().To(DType.Float32);
        return difference.ToArray<float>()[0];
    }

    private static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        double scale;
        using (var magnitude = expected.Abs().Amax().To(DType.Float32)) scale = Math.Max(1, magnitude.ToArray<float>()[0]);
        var difference = MaxDifference(expected, actual);
        Assert.True(difference <= 1e-5 * scale, $"{what} differs from the source's by {difference:E2}");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
