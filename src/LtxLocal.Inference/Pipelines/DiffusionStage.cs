using LtxLocal.Inference.Memory;
using LtxLocal.Models.AudioVae;
using LtxLocal.Models.Transformer;

namespace LtxLocal.Inference.Pipelines;

/// <summary>
/// One stage of a pipeline (the reference's DiffusionStage): initial states from each stream's <see cref="StreamSpec"/>
/// (<see cref="StreamStateBuilder"/>: zeros or a given latent, image conditioning with the video encoder held only for
/// it, region mask, frozen), the Gaussian noiser (video draw first, then audio, from the request's seeded generator),
/// then the transformer held for the denoising loop (with the stage's LoRAs fused in), then conditioning tokens dropped
/// and the states unpatchified. The states are written to the ledger.
/// </summary>
public static class DiffusionStage
{
    public static StageOutput Run(LoadedModel model, StageInput input, Generator generator, StepCallback? onStep, CancellationToken cancellationToken)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var config = model.TransformerConfig;
        var videoTools = VideoLatentTools.FromPixels(1, config.InChannels, input.Frames, input.Height, input.Width, input.Fps);
        var videoSpec = input.VideoSpec ?? new StreamSpec { InitialLatent = input.InitialVideo, NoiseScale = input.NoiseScale };
        var video = StreamStateBuilder.Video(videoTools, videoSpec, model.DType, model.Device, state => Noise(state, generator),
            input.Images.Count == 0 ? null
                : state => model.ImageConditioner.Use(conditioner => conditioner.Apply(state, videoTools, input.Images, input.Width, input.Height)));

        AudioLatentTools? audioTools = null;
        LatentState? audio = null;
        if (input.Audio)
        {
            long channels = model.AudioLatentChannels!.Value;
            audioTools = new AudioLatentTools(1, channels, AudioLatentShape.FramesForVideo(input.Frames, input.Fps), config.AudioInChannels / channels);
            var audioSpec = input.AudioSpec ?? new StreamSpec { InitialLatent = input.InitialAudio, NoiseScale = input.NoiseScale };
            audio = StreamStateBuilder.Audio(audioTools, audioSpec, model.DType, model.Device, state => Noise(state, generator));
        }
        model.Ledger.Hold("stage_state", StateBytes(video) + (audio is null ? 0 : StateBytes(audio)));

        using var transformer = model.Transformer.Acquire();
        var loop = new DenoisingLoop(input.Stepper) { StepNoise = (_, _, state) => Noise(state, generator) };
        model.Loras.Use(transformer.Network, input.Loras, input.DistilledLora);
        var (finalVideo, finalAudio) = loop.Run(input.Denoiser(transformer.Network), video, audio, input.Sigmas, onStep, cancellationToken);
        var cleared = videoTools.ClearConditioning(finalVideo!);
        var videoLatent = VideoLatentPatchifier.Unpatchify(cleared.Latent, videoTools.Frames, videoTools.Height, videoTools.Width);
        var audioLatent = audioTools is null ? null : scope.MoveToOuter(audioTools.Unpatchify(finalAudio!));
        model.Ledger.Drop("stage_state");
        return new StageOutput(scope.MoveToOuter(videoLatent), audioLatent);
    }

    /// <summary>Bytes of a stream's state on the device: latent, clean latent, denoise mask, positions (and keyframe mask).</summary>
    public static long StateBytes(LatentState state) =>
        TensorBytes.Of(state.Latent, state.CleanLatent, state.DenoiseMask, state.Positions, state.KeyframesMask);

    private static Tensor Noise(LatentState state, Generator generator) =>
        Tensor.Randn(state.Latent.Shape, generator, state.Latent.DType, state.Latent.Device);
}
