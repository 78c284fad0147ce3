using LtxLocal.Inference.Guidance;
using LtxLocal.Models.Transformer;

namespace LtxLocal.Inference.Denoising;

/// <summary>
/// Multi-modal guidance (denoisers.py FactoryGuidedDenoiser / _guided_denoise): the conditional pass plus whichever of
/// the negative-prompt pass (CFG), the perturbed pass (STG: self-attention skipped in the guider's blocks) and the
/// isolated-modality pass (A2V/V2A skipped everywhere) either stream's guider needs, each its own batch-1 pass (the
/// reference's BatchSplitAdapter with max_batch_size 1) run block by block together, combined per stream by
/// <see cref="MultiModalGuider"/>.
/// </summary>
public sealed class GuidedDenoiser(LtxModel model, PromptContext positive, PromptContext negative, GuiderParams video, GuiderParams audio)
    : IDenoiser
{
    private readonly MultiModalGuider _video = new(video), _audio = new(audio);
    private Tensor? _lastVideo, _lastAudio;

    /// <summary>Called with (step, "video.cond" | "audio.ptb" | ..., x0) for every pass; the parity test listens.</summary>
    public Action<int, string, Tensor>? PassObserver { get; init; }

    public (Tensor? Video, Tensor? Audio) Denoise(LatentState? videoState, LatentState? audioState, IReadOnlyList<float> sigmas, int step)
    {
        bool hasAudio = audioState is not null;
        bool skipVideo = videoState is null || _video.Params.ShouldSkipStep(step), skipAudio = !hasAudio || _audio.Params.ShouldSkipStep(step);
        if (skipVideo && skipAudio && (_lastVideo is not null || _lastAudio is not null))
            return (_lastVideo?.Alias().DetachFromScope(), _lastAudio?.Alias().DetachFromScope());

        var guiders = hasAudio ? new[] { _video.Params, _audio.Params } : new[] { _video.Params };
        var passes = new List<(string Name, PromptContext Context, float[]? KeepMask)> { ("cond", positive, null) };
        if (guiders.Any(g => g.UsesUnconditionalText)) passes.Add(("uncond", negative, null));
        if (guiders.Any(g => g.UsesPerturbed)) passes.Add(("ptb", positive, PerturbedMask()));
        if (guiders.Any(g => g.UsesIsolatedModality)) passes.Add(("mod", positive, IsolatedMask()));

        using var scope = TorchRuntime.NewDisposeScope();
        // All passes in one call, block by block: a streamed block is copied once for the step, not once per pass.
        var inputs = passes.Select(pass => (
            Video: videoState is null ? null : StateModality.From(videoState, pass.Context.Video, sigmas[step]),
            Audio: audioState is null ? null : StateModality.From(audioState, pass.Context.Audio!, sigmas[step]),
            Perturbations: pass.KeepMask is null ? null : new BatchedPerturbations(Tensor.From(pass.KeepMask, new long[] { 4, model.NumBlocks, 1 })))).ToList();
        IReadOnlyList<(Tensor? Video, Tensor? Audio)> velocities;
        try
        {
            velocities = model.ForwardPasses([.. inputs.Select(i => new ModelPass(i.Video, i.Audio, i.Perturbations))]);
        }
        finally
        {
            foreach (var input in inputs) input.Perturbations?.Dispose();
        }
        var outputs = new Dictionary<string, (Tensor? Video, Tensor? Audio)>();
        for (int p = 0; p < passes.Count; p++)
        {
            var (v, a, _) = inputs[p];
            var (vv, av) = velocities[p];
            var x0 = (v is null ? null : StateModality.Denoised(v, vv!), a is null ? null : StateModality.Denoised(a, av!));
            outputs[passes[p].Name] = x0;
            if (PassObserver is not null)
            {
                if (x0.Item1 is not null) PassObserver(step, $"video.{passes[p].Name}", x0.Item1);
                if (x0.Item2 is not null) PassObserver(step, $"audio.{passes[p].Name}", x0.Item2);
            }
        }
        Tensor? Pass(string name, bool audioStream) =>
            outputs.TryGetValue(name, out var o) ? (audioStream ? o.Audio : o.Video) : null;
        Tensor? Guided(MultiModalGuider guider, bool audioStream) =>
            guider.Calculate(Pass("cond", audioStream)!, Pass("uncond", audioStream), Pass("ptb", audioStream), Pass("mod", audioStream));

        var guidedVideo = videoState is null ? null : skipVideo && _lastVideo is not null ? _lastVideo.Alias() : Guided(_video, false);
        var guidedAudio = !hasAudio ? null : skipAudio && _lastAudio is not null ? _lastAudio.Alias() : Guided(_audio, true);
        Remember(ref _lastVideo, guidedVideo);
        Remember(ref _lastAudio, guidedAudio);
        return (guidedVideo is null ? null : scope.MoveToOuter(guidedVideo), guidedAudio is null ? null : scope.MoveToOuter(guidedAudio));
    }

    private static void Remember(ref Tensor? slot, Tensor? value)
    {
        slot?.Dispose();
        slot = value?.Alias().DetachFromScope();
    }

    // Keep masks [4 types, blocks, 1]: 1 keep, 0 perturbed (BatchedPerturbationConfig.block_masks for one sample).
    private float[] KeepAll() => Enumerable.Repeat(1f, 4 * model.NumBlocks).ToArray();

    // STG blocks past this model's depth (the defaults name block 28 of 48) are dropped, e.g. for the tiny model.
    private void Skip(float[] keep, PerturbationType type, IEnumerable<int> blocks)
    {
        foreach (var b in blocks.Where(b => b >= 0 && b < model.NumBlocks)) keep[(int)type * model.NumBlocks + b] = 0f;
    }

    private float[] PerturbedMask()
    {
        var keep = KeepAll();
        if (_video.Params.UsesPerturbed) Skip(keep, PerturbationType.SkipVideoSelfAttention, _video.Params.Blocks);
        if (_audio.Params.UsesPerturbed) Skip(keep, PerturbationType.SkipAudioSelfAttention, _audio.Params.Blocks);
        return keep;
    }

    private float[] IsolatedMask()
    {
        var keep = KeepAll();
        var all = Enumerable.Range(0, model.NumBlocks).ToArray();
        Skip(keep, PerturbationType.SkipAudioToVideoCrossAttention, all);
        Skip(keep, PerturbationType.SkipVideoToAudioCrossAttention, all);
        return keep;
    }
}
