namespace LtxLocal.Inference.Requests;

/// <summary>
/// A request the resolver refuses (a value outside its range, a pipeline the model cannot run): the server answers 400
/// with <see cref="Exception.Message"/>, the CLI prints it. The message names the field.
/// </summary>
public sealed class InvalidGenerationException(string message) : Exception(message);
