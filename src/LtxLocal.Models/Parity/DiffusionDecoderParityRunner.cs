using LtxLocal.Models.VideoVae;
using LtxLocal.Models.VideoVae.Diffusion;

namespace LtxLocal.Models.Parity;

/// <summary>
/// The LTX-2.5 diffusion decoder on a diffusion_decoder/ case: the stage 1-3 features when stored, the chunked
/// pathway (out.video) and the combined one (out.video_combined), with the case's w_chunks.
/// </summary>
public sealed class DiffusionDecoderParityRunner() : ParityRunner("diffusion_decoder")
{
    protected override void Replay(ParityReplay replay)
    {
        if (!VideoVaeLoader.IsDiffusionDecoder(replay.Weights)) throw replay.Mismatch("the weights are not a diffusion decoder");
        using var decoder = VideoVaeLoader.LoadDiffusionDecoder(replay.Weights, replay.Device);
        replay.Expect("the number of decoder steps", decoder.Config.InferenceSteps, replay.Argument("num_inference_steps").GetInt32());
        replay.Expect("the decode mode", "chunked_eager", replay.Argument("diffvae_mode").GetString());
        decoder.WChunks = replay.Argument("w_chunks").GetInt32();
        var latent = replay.In("in.latent");
        var noise = replay.In("in.noise");

        if (replay.Has("out.dbg.stages_1_to_3"))
            replay.Check("out.dbg.stages_1_to_3", decoder.ForwardStages1To3(decoder.PadTrailingFrames(latent)));
        decoder.Mode = DiffusionDecodeMode.Chunked;
        replay.Check("out.video", decoder.Forward(latent, noise));
        if (!replay.Has("out.video_combined")) return;
        decoder.Mode = DiffusionDecodeMode.Combined;
        replay.Check("out.video_combined", decoder.Forward(latent, noise));
    }
}
