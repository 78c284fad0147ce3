using LtxLocal.Models.VideoVae;
using LtxLocal.Models.VideoVae.Diffusion;
using LtxLocal.Torch;
using LtxLocal.Torch.Safetensors;

namespace LtxLocal.Models.Parity;

/// <summary>
/// The LTX-2.5 diffusion decoder on a diffusion_decoder/ case: the stage 1-3 features when stored, the chunked
/// pathway (out.video) and the combined one (out.video_combined), with the case's w_chunks.
/// </summary>
public sealed class DiffusionDecoderParityRunner : IParityRunner
{
    public string Component => "diffusion_decoder";

    public void Run(ParityCase fixture, Device device, Action<string, Tensor> check)
    {
        using var weights = SafetensorsFile.Open(fixture.WeightsPath);
        using var scope = TorchRuntime.NewDisposeScope();
        if (!VideoVaeLoader.IsDiffusionDecoder(weights)) throw new InvalidOperationException($"{fixture.Name}: the weights are not a diffusion decoder");
        using var decoder = VideoVaeLoader.LoadDiffusionDecoder(weights, device);
        int steps = fixture.Call.GetProperty("num_inference_steps").GetInt32();
        if (decoder.Config.InferenceSteps != steps)
            throw new InvalidOperationException($"{fixture.Name}: the decoder takes {decoder.Config.InferenceSteps} steps, the reference {steps}");
        var mode = fixture.Call.GetProperty("diffvae_mode").GetString();
        if (mode != "chunked_eager") throw new InvalidOperationException($"{fixture.Name}: reference mode {mode} is not the chunked one");
        decoder.WChunks = fixture.Call.GetProperty("w_chunks").GetInt32();
        var latent = fixture.Tensor("in.latent", device);
        var noise = fixture.Tensor("in.noise", device);

        if (fixture.Has("out.dbg.stages_1_to_3"))
            check("out.dbg.stages_1_to_3", decoder.ForwardStages1To3(decoder.PadTrailingFrames(latent)));
        decoder.Mode = DiffusionDecodeMode.Chunked;
        check("out.video", decoder.Forward(latent, noise));
        if (fixture.Has("out.video_combined"))
        {
            decoder.Mode = DiffusionDecodeMode.Combined;
            check("out.video_combined", decoder.Forward(latent, noise));
        }
    }
}
