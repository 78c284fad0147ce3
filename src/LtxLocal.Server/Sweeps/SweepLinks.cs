namespace LtxLocal.Server.Sweeps;

/// <summary>Where a sweep's views live; all need the API key like every /v1 route.</summary>
public sealed record SweepLinks(string Self, string Report, string Csv, string ContactSheet)
{
    public static SweepLinks For(string id) =>
        new($"/v1/sweeps/{id}", $"/v1/sweeps/{id}/report", $"/v1/sweeps/{id}?format=csv", $"/v1/sweeps/{id}/contact-sheet.png");
}
