namespace LtxLocal.Models.Checkpoints;

/// <summary>A checkpoint config we cannot run: names the component, the key and the value.</summary>
public sealed class ModelConfigException(string message) : Exception(message);
