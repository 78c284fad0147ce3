namespace LtxLocal.Media;

/// <summary>What an audio input may be: file size, and the most seconds decoded from it (a few compressed bytes can expand to gigabytes of PCM).</summary>
public sealed record AudioLimits(long MaxBytes = 200L * 1024 * 1024, double MaxSeconds = 600);
