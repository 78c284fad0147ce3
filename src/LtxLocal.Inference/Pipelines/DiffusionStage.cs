using LtxLocal.Inference.Denoising;
using LtxLocal.Inference.Requests;
using LtxLocal.Inference.Schedulers;
using LtxLocal.Models.AudioVae;
using LtxLocal.Models.Transformer;
using LtxLocal.Torch;

namespace LtxLocal.Inference.Pipelines;

/// <summary>
/// One stage of a pipeline (the reference's DiffusionStage): initial states from each stream's <see cref="StreamSpec"/>
/// (<see cref="StreamStateBuilder"/>: zeros or a given latent, image conditioning, region mask, frozen), the Gaussian noiser (video draw first, then audio, from the request's seeded generator), the
/// denoising loop, then conditioning tokens dropped and the states unpatchified.
/// </summary>
public static class DiffusionStage
{
    public static StageOutput Run(LoadedModel model, StageInput input, Generator generator, StepCallback? onStep, CancellationToken cancellationToken)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var config = model.Transformer.Config;
        var videoTools = VideoLatentTools.FromPixels(1, config.InChannels, input.Frames, input.Height, input.Width, input.Fps);
        var videoSpec = input.VideoSpec ?? new StreamSpec { InitialLatent = input.InitialVideo, NoiseScale = input.NoiseScale };
        var video = StreamStateBuilder.Video(videoTools, videoSpec, model.DType, model.Device, state => Noise(state, generator),
            state => model.ImageConditioner.Apply(state, videoTools, input.Images, input.Width, input.Height));

        AudioLatentTools? audioTools = null;
        LatentState? audio = null;
        if (input.Audio)
        {
            long channels = model.AudioDecoder!.Decoder.Config.ZChannels;
            audioTools = new AudioLatentTools(1, channels, AudioLatentShape.FramesForVideo(input.Frames, input.Fps), config.AudioInChannels / channels);
            var audioSpec = input.AudioSpec ?? new StreamSpec { InitialLatent = input.InitialAudio, NoiseScale = input.NoiseScale };
            audio = StreamStateBuilder.Audio(audioTools, audioSpec, model.DType, model.Device, state => Noise(state, generator));
        }

        var loop = new DenoisingLoop(input.Stepper) { StepNoise = (_, _, state) => Noise(state, generator) };
        var (finalVideo, finalAudio) = loop.Run(input.Denoiser, video, audio, input.Sigmas, onStep, cancellationToken);
        var cleared = videoTools.ClearConditioning(finalVideo!);
        var videoLatent = VideoLatentPatchifier.Unpatchify(cleared.Latent, videoTools.Frames, videoTools.Height, videoTools.Width);
        var audioLatent = audioTools is null ? null : scope.MoveToOuter(audioTools.Unpatchify(finalAudio!));
        return new StageOutput(scope.MoveToOuter(videoLatent), audioLatent);
    }

    private static Tensor Noise(LatentState state, Generator generator) =>
        Tensor.Randn(state.Latent.Shape, generator, state.Latent.DType, state.Latent.Device);
}
