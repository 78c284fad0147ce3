using LtxLocal.Models.AudioVae;

namespace LtxLocal.Models.Parity;

/// <summary>The vocoders (HiFi-GAN, BigVGAN + bandwidth extension) on a vocoder/ case: waveform, and the 16 kHz stage when stored.</summary>
public sealed class VocoderParityRunner() : ParityRunner("vocoder")
{
    protected override void Replay(ParityReplay replay)
    {
        using var vocoder = AudioVaeLoader.LoadVocoder(replay.Weights, replay.Device);
        replay.Expect("the output sampling rate", vocoder.OutputSamplingRate, replay.Argument("output_sampling_rate").GetInt32());
        var mel = replay.In("in.mel");
        replay.Check("out.waveform", vocoder.Forward(mel));
        if (!replay.Has("out.dbg.vocoder_16k")) return;
        if (vocoder is not VocoderWithBwe bwe) throw replay.Mismatch("the case has a 16 kHz stage, the vocoder no bandwidth extension");
        replay.Check("out.dbg.vocoder_16k", bwe.LowRate(mel));
    }
}
