namespace LtxLocal.Server.Sweeps;

/// <summary>
/// A cell's output measured against the reference cell's with ffmpeg's filters (<see cref="QualityMeter"/>). SSIM and PSNR
/// say how close the cell came to the reference (convergence), not whether either follows the prompt. PSNR is null with
/// <see cref="PsnrInfinite"/> true when the frames are identical (ffmpeg prints "inf"). Flicker is the mean absolute luma
/// difference between consecutive frames (0-255); <see cref="FlickerRatio"/> is it over the reference's. Loudness is the
/// integrated EBU R128 loudness in LUFS, null when the output has no audio.
/// </summary>
public sealed record CellQuality(
    string ReferenceJobId, double Ssim, double? Psnr, bool PsnrInfinite, double Flicker, double? FlickerRatio, double? LoudnessLufs);
