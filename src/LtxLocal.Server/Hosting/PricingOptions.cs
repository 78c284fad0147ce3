namespace LtxLocal.Server.Hosting;

/// <summary>
/// Ltx:Pricing: what a device hour costs, for result.cost (include_cost). Without a price the cost reports only the
/// measured device seconds; the server never guesses one.
/// </summary>
public sealed class PricingOptions
{
    /// <summary>Price of one hour of one device (GPU, or the CPU when it runs jobs), in <see cref="Currency"/>.</summary>
    public double? PerDeviceHour { get; set; }
    public string Currency { get; set; } = "USD";

    /// <summary>seconds x price / 3600, rounded to 6 decimals; null without a price.</summary>
    public double? Amount(double deviceSeconds) => PerDeviceHour is { } price ? Math.Round(deviceSeconds * price / 3600, 6) : null;
}
