namespace LtxLocal.Inference.Requests;

/// <summary>
/// A LoRA a request fuses into the transformer for its job: a name from the model folder's <c>loras/</c> (the file name,
/// <c>.safetensors</c> optional; never a path) and the strength its update is scaled by (the reference's
/// LoraPathStrengthAndSDOps.strength).
/// </summary>
public sealed record RequestLora(string Name, double Strength = RequestLora.DefaultStrength)
{
    public const double DefaultStrength = 1.0, MinStrength = -4, MaxStrength = 4;
    public const int MaxPerRequest = 8;
}
