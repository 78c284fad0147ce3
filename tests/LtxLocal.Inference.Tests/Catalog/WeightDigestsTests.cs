using System.Security.Cryptography;
using LtxLocal.Inference.Catalog;
using LtxLocal.Inference.Tiny;

namespace LtxLocal.Inference.Tests.Catalog;

/// <summary>
/// Weight hashes: computed once per (path, size, write time) — a catalog re-scan or a second ask reads nothing again, a
/// changed file is read again — and started by the catalog when it first describes a model.
/// </summary>
public sealed class WeightDigestsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ltx-digests-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_file_is_hashed_once_until_it_changes()
    {
        var path = Path.Combine(_dir, "w.safetensors");
        await File.WriteAllBytesAsync(path, [1, 2, 3, 4]);
        var digests = new WeightDigests();

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(new byte[] { 1, 2, 3, 4 })), await digests.GetAsync(path, default));
        digests.Prefetch([path]);
        await digests.GetAsync(path, default);
        Assert.Equal(1, digests.Computed);

        await File.WriteAllBytesAsync(path, [9, 9, 9, 9, 9]);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(new byte[] { 9, 9, 9, 9, 9 })), await digests.GetAsync(path, default));
        Assert.Equal(2, digests.Computed);
    }

    [Fact]
    public async Task The_catalog_starts_hashing_a_model_once_and_a_rescan_does_not_rehash()
    {
        var models = Path.Combine(_dir, "models");
        TinyModel.Create(Path.Combine(models, "tiny"), seed: 5);
        var digests = new WeightDigests();
        var catalog = new ModelDirectoryCatalog(models, rescan: TimeSpan.Zero, digests: digests);

        var model = Assert.Single(catalog.List());
        var files = ModelWeightFiles.Of(model);
        Assert.Contains(model.Files!.Transformer, files);
        foreach (var file in files) await digests.GetAsync(file, default); // waits for the background hashing the scan started
        var computed = digests.Computed;
        Assert.Equal(files.Count, computed);

        catalog.List();
        foreach (var file in files) await digests.GetAsync(file, default);
        Assert.Equal(computed, digests.Computed);
    }
}
