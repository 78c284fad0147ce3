using LtxLocal.Models.Transformer;

namespace LtxLocal.Inference.Denoising;

/// <summary>One transformer call per step with the positive prompt, no guidance (denoisers.py SimpleDenoiser): distilled models.</summary>
public sealed class SimpleDenoiser(LtxModel model, PromptContext prompt) : IDenoiser
{
    public (Tensor? Video, Tensor? Audio) Denoise(LatentState? video, LatentState? audio, IReadOnlyList<float> sigmas, int step)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var v = video is null ? null : StateModality.From(video, prompt.Video, sigmas[step]);
        var a = audio is null ? null : StateModality.From(audio, prompt.Audio ?? throw new InvalidOperationException("no audio context"), sigmas[step]);
        var (vv, av) = model.Forward(v, a);
        var x0Video = v is null ? null : scope.MoveToOuter(StateModality.Denoised(v, vv!));
        var x0Audio = a is null ? null : scope.MoveToOuter(StateModality.Denoised(a, av!));
        return (x0Video, x0Audio);
    }
}
