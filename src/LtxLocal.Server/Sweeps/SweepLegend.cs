namespace LtxLocal.Server.Sweeps;

/// <summary>What each measured number of a sweep is, and is not: the same words in the JSON, the report and api.md.</summary>
public static class SweepLegend
{
    public static readonly IReadOnlyDictionary<string, string> Entries = new Dictionary<string, string>
    {
        ["timings"] = "wall seconds per stage of the job: text (prompt encoding), denoise (stage 1), upsample, denoise_stage2, decode (video VAE), audio (audio VAE + vocoder), mux (encoder flush), total (from start to file)",
        ["seconds_per_step"] = "denoising seconds (all stages) divided by the denoising steps that ran; guided steps include every guidance pass",
        ["peak_memory"] = "ledger_bytes: the most device memory the pipeline's blocks held at once (memory ledger); allocator_bytes: libtorch's CUDA allocator peak since the job started (null on the CPU)",
        ["output_bytes"] = "size of the output file",
        ["quality.ssim"] = "SSIM (ffmpeg ssim, All) of this cell's frames against the reference cell's: 1 = identical. Measures convergence toward the reference, not prompt fidelity or beauty",
        ["quality.psnr"] = "PSNR in dB (ffmpeg psnr, average) against the reference cell; null with psnr_infinite true when the frames are identical (ffmpeg prints inf), as for the reference itself. Convergence, not fidelity",
        ["quality.flicker"] = "temporal flicker: mean absolute luma difference between consecutive frames, 0-255 (ffmpeg tblend difference + signalstats YAVG); motion counts too, so read it relative to the reference",
        ["quality.flicker_ratio"] = "this cell's flicker divided by the reference cell's (1 = as steady as the reference; null when the reference has none)",
        ["quality.loudness_lufs"] = "integrated loudness of the soundtrack in LUFS (ffmpeg ebur128); null without audio or when all of it is below the gate. Says how loud, not how good",
    };
}
