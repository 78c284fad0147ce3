using System.Text.Json.Nodes;
using LtxLocal.Inference.Requests;

namespace LtxLocal.Server.Sweeps;

/// <summary>
/// One row of a sweep's table (api.md "Sweeps"): the cell's axis values and job, the parameters it ran with, its measured
/// time per stage and per denoising step, peak device memory, output size, and its quality against the reference cell.
/// Measurements are null until the cell's job has completed (quality: until the reference's has too).
/// </summary>
public sealed record SweepCellView(
    int Index, string JobId, string Status, bool Reference, JsonObject Values, ParametersDto? Parameters,
    IReadOnlyList<int>? StageSteps, IReadOnlyDictionary<string, double>? Timings, double? SecondsPerStep,
    IReadOnlyDictionary<string, double>? StageSecondsPerStep, PeakMemory? PeakMemory, long? OutputBytes,
    CellQuality? Quality, string? QualityNote, ErrorDetail? Error);
