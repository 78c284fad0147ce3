namespace LtxLocal.Media;

/// <summary>
/// What an audio input may be: file size, and the most seconds decoded from it (a few compressed bytes can expand to
/// gigabytes of PCM). 120 s is several times the longest clip the models generate; a 192 kHz stereo file decodes to at most
/// ~180 MB of float samples.
/// </summary>
public sealed record AudioLimits(long MaxBytes = 200L * 1024 * 1024, double MaxSeconds = 120);
