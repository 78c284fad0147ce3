using System.Diagnostics;
using System.Net;
using LtxLocal.Server.Testing;

namespace LtxLocal.Server.Tests;

/// <summary>Issue 15, defects 5 and 8: a full disk is a 507 that leaves nothing behind; orphans are swept; data is private.</summary>
public sealed class StorageHardeningTests
{
    private static void Run(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', args)}: {error}");
    }

    [RootFact]
    public async Task A_full_disk_at_submission_is_a_507_and_leaves_no_input_file()
    {
        var root = Directory.CreateTempSubdirectory("ltx-full-disk-").FullName;
        var data = Directory.CreateDirectory(Path.Combine(root, "data")).FullName;
        Run("mount", "-t", "tmpfs", "-o", "size=2m,mode=0700", "tmpfs", data);
        try
        {
            await using (var host = new TestHost(root: root))
            {
                Assert.Equal(HttpStatusCode.OK, (await host.Anonymous().GetAsync("/health")).StatusCode);
                var filler = Path.Combine(data, "filler");
                await using (var fill = File.OpenWrite(filler))
                {
                    var block = new byte[4096];
                    try { while (true) fill.Write(block); }
                    catch (IOException) { /* the file system is full: what the test needs */ }
                }

                var request = TestHost.Request(new { image_uri = TestImages.DataUri(TestImages.Png(64, 64)) });
                var message = await TestHost.AssertErrorAsync(await host.PostJsonAsync("/v1/image-to-video", request), 507, "insufficient_storage");
                Assert.Contains("disk is full", message);
                Assert.Empty(Directory.EnumerateFiles(Path.Combine(data, "inputs")));
                Assert.Equal(0, host.JobRowCount());

                File.Delete(filler);
                var accepted = await host.SubmitAsync(new { image_uri = TestImages.DataUri(TestImages.Png(64, 64)) }, "/v1/image-to-video");
                await host.WaitForAsync((string)accepted["id"]!, "completed");
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools(); // pooled connections keep jobs.db open on the tmpfs
            Run("umount", "--lazy", data);
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Files_named_after_no_job_are_swept_at_start_up()
    {
        var root = Directory.CreateTempSubdirectory("ltx-orphans-").FullName;
        try
        {
            string kept;
            await using (var host = new TestHost(root: root))
            {
                var id = (string)(await host.SubmitAsync(new { image_uri = TestImages.DataUri(TestImages.Png(16, 16)) }, "/v1/image-to-video"))["id"]!;
                await host.WaitForAsync(id, "completed");
                kept = Assert.Single(Directory.GetFiles(Path.Combine(host.DataDir, "outputs"), $"{id}*"));
            }
            var data = Path.Combine(root, "data");
            var orphan = Guid.NewGuid().ToString();
            string[] orphans = [Path.Combine(data, "inputs", $"{orphan}-0.img"), Path.Combine(data, "outputs", $"{orphan}.partial.mp4"), Path.Combine(data, "outputs", $"{orphan}.mp4.video-part")];
            foreach (var file in orphans) File.WriteAllBytes(file, []);
            var unrelated = Path.Combine(data, "outputs", "README.txt");
            File.WriteAllText(unrelated, "not ours to delete");

            await using (var restarted = new TestHost(root: root))
            {
                Assert.Equal(HttpStatusCode.OK, (await restarted.Anonymous().GetAsync("/health")).StatusCode);
                Assert.All(orphans, f => Assert.False(File.Exists(f), $"{Path.GetFileName(f)} is still there"));
                Assert.True(File.Exists(kept), "a live job's output was swept");
                Assert.True(File.Exists(unrelated));
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task The_database_inputs_and_outputs_are_private_to_the_server_user()
    {
        var root = Directory.CreateTempSubdirectory("ltx-modes-").FullName;
        try
        {
            var data = Path.Combine(root, "data");
            Directory.CreateDirectory(data, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead
                | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute); // 0755, as an older version left it
            await using var host = new TestHost(root: root);
            var id = (string)(await host.SubmitAsync(new { image_uri = TestImages.DataUri(TestImages.Png(16, 16)) }, "/v1/image-to-video"))["id"]!;
            await host.WaitForAsync(id, "completed");

            const UnixFileMode folder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
            const UnixFileMode file = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            foreach (var dir in new[] { data, Path.Combine(data, "outputs"), Path.Combine(data, "inputs") })
                Assert.True(File.GetUnixFileMode(dir) == folder, $"{dir} is {File.GetUnixFileMode(dir)}");
            var files = new[] { "jobs.db", "jobs.db-wal", "jobs.db-shm" }.Select(f => Path.Combine(data, f)).Where(File.Exists)
                .Concat(Directory.GetFiles(Path.Combine(data, "outputs"))).Concat(Directory.GetFiles(Path.Combine(data, "inputs"))).ToList();
            Assert.Contains(files, f => f.EndsWith("jobs.db-wal"));
            Assert.Contains(files, f => Path.GetFileName(f).StartsWith(id));
            Assert.All(files, f => Assert.True(File.GetUnixFileMode(f) == file, $"{Path.GetFileName(f)} is {File.GetUnixFileMode(f)}"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
