namespace LtxLocal.Inference.Tests.EndToEnd;

/// <summary>The tiny-model server with two LoRAs in the model's loras/: "style" (fits the transformer) and "foreign" (another model's keys).</summary>
public sealed class LoraTinyModelServer() : TinyModelServer(dir =>
{
    TinyLoras.WriteStyle(dir, "style", seed: 21, scale: 0.6);
    TinyLoras.WriteForeign(dir, "foreign");
});
