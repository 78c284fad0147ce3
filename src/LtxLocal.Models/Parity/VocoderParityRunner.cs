using LtxLocal.Models.AudioVae;
using LtxLocal.Torch;
using LtxLocal.Torch.Safetensors;

namespace LtxLocal.Models.Parity;

/// <summary>The vocoders (HiFi-GAN, BigVGAN + bandwidth extension) on a vocoder/ case: waveform, and the 16 kHz stage when stored.</summary>
public sealed class VocoderParityRunner : IParityRunner
{
    public string Component => "vocoder";

    public void Run(ParityCase fixture, Device device, Action<string, Tensor> check)
    {
        using var weights = SafetensorsFile.Open(fixture.WeightsPath);
        using var scope = TorchRuntime.NewDisposeScope();
        using var vocoder = AudioVaeLoader.LoadVocoder(weights, device);
        int rate = fixture.Call.GetProperty("output_sampling_rate").GetInt32();
        if (vocoder.OutputSamplingRate != rate)
            throw new InvalidOperationException($"{fixture.Name}: vocoder outputs {vocoder.OutputSamplingRate} Hz, the reference {rate} Hz");
        var mel = fixture.Tensor("in.mel", device);
        check("out.waveform", vocoder.Forward(mel));
        if (!fixture.Has("out.dbg.vocoder_16k")) return;
        if (vocoder is not VocoderWithBwe bwe) throw new InvalidOperationException($"{fixture.Name}: the case has a 16 kHz stage, the vocoder no bandwidth extension");
        check("out.dbg.vocoder_16k", bwe.LowRate(mel));
    }
}
