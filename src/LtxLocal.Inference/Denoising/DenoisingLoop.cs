using LtxLocal.Models.Transformer;

namespace LtxLocal.Inference.Denoising;

/// <summary>What the loop reports after each step: (step just finished, total steps).</summary>
public delegate void StepCallback(int completed, int total);

/// <summary>
/// The sampling loop (samplers.py euler_denoising_loop / euler_ancestral_denoising_loop): per step the denoiser's x0,
/// masked back to the clean latent where the denoise mask is 0, then the sampler update; video first, then audio.
/// A stochastic step draws its noise (video, then audio) from <see cref="StepNoise"/> and re-masks the result.
/// Cancellation is checked before every step, so a cancelled job stops within one step. Each superseded latent is
/// disposed as the loop goes (the caller's initial latent too), so only one step's states are alive at a time.
/// </summary>
public sealed class DenoisingLoop(IDiffusionStep stepper)
{
    /// <summary>The draw for a stochastic step: (stream "video"/"audio", step, state) -> noise shaped like the latent.</summary>
    public Func<string, int, LatentState, Tensor>? StepNoise { get; init; }

    /// <summary>Called with (step, "video"/"audio", x0 before masking, state after the step); the parity test listens.</summary>
    public Action<int, string, Tensor, LatentState>? StepObserver { get; init; }

    public (LatentState? Video, LatentState? Audio) Run(IDenoiser denoiser, LatentState? video, LatentState? audio,
        IReadOnlyList<float> sigmas, StepCallback? onStep = null, CancellationToken cancellationToken = default)
    {
        int steps = sigmas.Count - 1;
        for (int i = 0; i < steps; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (x0Video, x0Audio) = denoiser.Denoise(video, audio, sigmas, i);
            video = Advance("video", video, x0Video, sigmas, i);
            audio = Advance("audio", audio, x0Audio, sigmas, i);
            onStep?.Invoke(i + 1, steps);
        }
        return (video, audio);
    }

    private LatentState? Advance(string stream, LatentState? state, Tensor? denoised, IReadOnlyList<float> sigmas, int step)
    {
        if (state is null || denoised is null) return state;
        using var scope = TorchRuntime.NewDisposeScope();
        var masked = StateModality.PostProcess(denoised, state);
        Tensor next;
        if (stepper.NeedsNoise(sigmas, step))
        {
            var noise = StepNoise?.Invoke(stream, step, state) ?? throw new InvalidOperationException("a stochastic sampler needs StepNoise");
            next = StateModality.PostProcess(stepper.Step(state.Latent, masked, sigmas, step, noise), state);
        }
        else
        {
            next = stepper.Step(state.Latent, masked, sigmas, step);
        }
        var advanced = state with { Latent = scope.MoveToOuter(next) };
        StepObserver?.Invoke(step, stream, denoised, advanced);
        state.Latent.Dispose();
        denoised.Dispose();
        return advanced;
    }
}
