namespace LtxLocal.Media;

/// <summary>
/// An input audio file we refuse: not audio, a format we do not take, truncated or corrupt, empty (0 seconds), or over
/// the limits. The message says which, in words a client can act on (the server answers 400 with it).
/// </summary>
public sealed class AudioRejectedException(string message) : MediaException(message);
