using LtxLocal.Inference.Memory;

namespace LtxLocal.Server.Hosting;

/// <summary>
/// Checks every numeric setting at start-up (ValidateOnStart), so a TTL of 0 (jobs vanish before anyone sees them
/// finish) or NaN (a TimeSpan overflow deep in a worker) stops the server with a message naming the setting.
/// </summary>
public sealed class ServerOptionsValidator : IValidateOptions<ServerOptions>
{
    private const double TenYearsOfHours = 87_600;

    public ValidateOptionsResult Validate(string? name, ServerOptions o)
    {
        var errors = new List<string>();
        void Range(string setting, double value, double min, double max, string unit)
        {
            if (!double.IsFinite(value) || value < min || value > max)
                errors.Add($"Ltx:{setting} must be between {min} and {max} {unit}; it is {value}");
        }
        void Positive(string setting, double value, double max, string unit)
        {
            if (!double.IsFinite(value) || value <= 0 || value > max)
                errors.Add($"Ltx:{setting} must be more than 0 and at most {max} {unit}; it is {value}");
        }
        Positive(nameof(o.ResultTtlHours), o.ResultTtlHours, TenYearsOfHours, "hours");
        Positive(nameof(o.MaxResultTtlHours), o.MaxResultTtlHours, TenYearsOfHours, "hours");
        Positive("Safety:TimeoutSeconds", o.Safety.TimeoutSeconds, 3600, "seconds");
        if (o.Pricing.PerDeviceHour is { } price) Range("Pricing:PerDeviceHour", price, 0, 1_000_000, "per device hour");
        if (!string.IsNullOrWhiteSpace(o.Safety.Url) && !string.IsNullOrWhiteSpace(o.Safety.Command))
            errors.Add("Ltx:Safety:Url and Ltx:Safety:Command are both set; configure one content checker");
        if (!string.IsNullOrWhiteSpace(o.Safety.Url) && (!Uri.TryCreate(o.Safety.Url, UriKind.Absolute, out var checker) || checker.Scheme is not ("http" or "https")))
            errors.Add($"Ltx:Safety:Url must be an absolute http:// or https:// URL; it is '{o.Safety.Url}'");
        Positive(nameof(o.ExpirySweepSeconds), o.ExpirySweepSeconds, 86_400, "seconds");
        Range(nameof(o.RetryAfterSeconds), o.RetryAfterSeconds, 1, 86_400, "seconds");
        Range(nameof(o.MaxQueuedJobs), o.MaxQueuedJobs, 1, 1_000_000, "jobs");
        Range(nameof(o.SweepMeasureWaitSeconds), o.SweepMeasureWaitSeconds, 0, 3600, "seconds");
        Range(nameof(o.MaxAttempts), o.MaxAttempts, 1, 100, "attempts");
        Range(nameof(o.MaxPromptChars), o.MaxPromptChars, 1, 1_000_000, "characters");
        Range(nameof(o.MaxBodyBytes), o.MaxBodyBytes, 1024, 1L << 31, "bytes");
        Range(nameof(o.MaxBufferedBodyBytes), o.MaxBufferedBodyBytes, 1024, 1L << 40, "bytes");
        Range(nameof(o.MaxImageBytes), o.MaxImageBytes, 1, 1L << 31, "bytes");
        Range(nameof(o.MaxImagePixels), o.MaxImagePixels, 1, 1L << 31, "pixels");
        Range(nameof(o.MaxImageDimension), o.MaxImageDimension, 1, 65_535, "pixels");
        Range(nameof(o.MaxConcurrentDecodes), o.MaxConcurrentDecodes, 1, 256, "decodes");
        Range(nameof(o.MaxWidth), o.MaxWidth, 32, 16_384, "pixels");
        Range(nameof(o.MaxHeight), o.MaxHeight, 32, 16_384, "pixels");
        Positive("Outbound:TimeoutSeconds", o.Outbound.TimeoutSeconds, 3600, "seconds");
        Positive("Outbound:InputsBudgetSeconds", o.Outbound.InputsBudgetSeconds, 3600, "seconds");
        Range("Webhooks:Attempts", o.Webhooks.Attempts, 1, 100, "attempts");
        Positive("Webhooks:FirstRetrySeconds", o.Webhooks.FirstRetrySeconds, 86_400, "seconds");
        Range(nameof(o.CpuThreads), o.CpuThreads, 0, 1024, "threads (0: one per core)");
        if (o.GpuMemoryLimit is { } limit && !ByteSize.TryParse(limit, out _))
            errors.Add($"Ltx:GpuMemoryLimit (--gpu-memory-limit) must be a number of bytes or a number with KiB, MiB, GiB or TiB (e.g. 24GiB); it is '{limit}'");
        if (o.HostMemoryLimit is { } hostLimit && !ByteSize.TryParse(hostLimit, out _))
            errors.Add($"Ltx:HostMemoryLimit (--host-memory-limit) must be a number of bytes or a number with KiB, MiB, GiB or TiB (e.g. 32GiB); it is '{hostLimit}'");
        if (!ByteSize.TryParseZeroOrMore(o.PromptCacheBytes, out _))
            errors.Add($"Ltx:PromptCacheBytes (--prompt-cache) must be 0 (off), a number of bytes or a number with KiB, MiB, GiB or TiB (e.g. 2GiB); it is '{o.PromptCacheBytes}'");
        if (!ResidentNetworks.TryParse(o.KeepResident, out _, out var keepError))
            errors.Add($"Ltx:KeepResident (--keep-resident) must be a comma-separated list of networks: {keepError}");
        if (o.MemoryPlans is { } plans)
            foreach (var planName in plans.Split(',', StringSplitOptions.TrimEntries))
                if (!MemoryPlan.TryParse(planName, out _, out var why)) errors.Add($"Ltx:MemoryPlans (--memory-plans) must be a comma-separated list of memory plans: {why}");
        if (string.IsNullOrWhiteSpace(o.DataDir)) errors.Add("Ltx:DataDir must name a folder");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
