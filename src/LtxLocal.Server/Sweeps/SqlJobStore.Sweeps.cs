using System.Globalization;
using LtxLocal.Server.Sweeps;

namespace LtxLocal.Server.Jobs;

/// <summary>The store's side of sweeps: the sweeps table and the per-cell quality cache (schema migration 5).</summary>
public abstract partial class SqlJobStore : ISweepStore
{
    public async Task AddSweepAsync(SweepRecord sweep, CancellationToken token)
    {
        await using var c = await OpenAsync(token);
        await ExecuteAsync(c, "INSERT INTO sweeps (id, spec_json, created_at) VALUES (@id, @spec, @created)", token, null,
            ("id", sweep.Id), ("spec", sweep.SpecJson), ("created", Iso(sweep.CreatedAt)));
    }

    public async Task<SweepRecord?> GetSweepAsync(string id, CancellationToken token)
    {
        await using var c = await OpenAsync(token);
        await using var command = Command(c, "SELECT id, spec_json, created_at, cancelled_at FROM sweeps WHERE id = @id", null, [("id", id)]);
        await using var reader = await command.ExecuteReaderAsync(token);
        if (!await reader.ReadAsync(token)) return null;
        return new SweepRecord(reader.GetString(0), reader.GetString(1), SweepTime(reader.GetString(2)),
            reader.IsDBNull(3) ? null : SweepTime(reader.GetString(3)));
    }

    public async Task MarkSweepCancelledAsync(string id, DateTimeOffset at, CancellationToken token)
    {
        await using var c = await OpenAsync(token);
        await ExecuteAsync(c, "UPDATE sweeps SET cancelled_at = @at WHERE id = @id AND cancelled_at IS NULL", token, null, ("id", id), ("at", Iso(at)));
    }

    public async Task<IReadOnlyDictionary<int, string>> SweepQualityAsync(string id, CancellationToken token)
    {
        await using var c = await OpenAsync(token);
        await using var command = Command(c, "SELECT cell, quality_json FROM sweep_quality WHERE sweep_id = @id", null, [("id", id)]);
        await using var reader = await command.ExecuteReaderAsync(token);
        var cells = new Dictionary<int, string>();
        while (await reader.ReadAsync(token)) cells[Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture)] = reader.GetString(1);
        return cells;
    }

    public async Task SaveSweepQualityAsync(string id, int cell, string qualityJson, CancellationToken token)
    {
        await using var c = await OpenAsync(token);
        await ExecuteAsync(c,
            "INSERT INTO sweep_quality (sweep_id, cell, quality_json) VALUES (@id, @cell, @json) " +
            "ON CONFLICT (sweep_id, cell) DO UPDATE SET quality_json = excluded.quality_json", token, null, ("id", id), ("cell", cell), ("json", qualityJson));
    }

    public async Task<IReadOnlyList<SweepRecord>> ListSweepsAsync(DateTimeOffset before, CancellationToken token)
    {
        await using var c = await OpenAsync(token);
        await using var command = Command(c, "SELECT id, spec_json, created_at, cancelled_at FROM sweeps WHERE created_at < @before ORDER BY created_at",
            null, [("before", Iso(before))]);
        await using var reader = await command.ExecuteReaderAsync(token);
        var sweeps = new List<SweepRecord>();
        while (await reader.ReadAsync(token))
            sweeps.Add(new SweepRecord(reader.GetString(0), reader.GetString(1), SweepTime(reader.GetString(2)),
                reader.IsDBNull(3) ? null : SweepTime(reader.GetString(3))));
        return sweeps;
    }

    public async Task<int> CountJobsAsync(IReadOnlyCollection<string> jobIds, CancellationToken token)
    {
        if (jobIds.Count == 0) return 0;
        var names = jobIds.Select((_, i) => $"@j{i}").ToList();
        await using var c = await OpenAsync(token);
        await using var command = Command(c, $"SELECT COUNT(*) FROM jobs WHERE id IN ({string.Join(", ", names)})", null,
            [.. jobIds.Select((id, i) => ($"j{i}", (object?)id))]);
        return Convert.ToInt32(await command.ExecuteScalarAsync(token), CultureInfo.InvariantCulture);
    }

    public async Task DeleteSweepAsync(string id, CancellationToken token)
    {
        await using var c = await OpenAsync(token);
        // Quality first: a crash between the two leaves a sweep row without cached numbers, never numbers without a sweep.
        await ExecuteAsync(c, "DELETE FROM sweep_quality WHERE sweep_id = @id", token, null, ("id", id));
        await ExecuteAsync(c, "DELETE FROM sweeps WHERE id = @id", token, null, ("id", id));
    }

    private static DateTimeOffset SweepTime(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
