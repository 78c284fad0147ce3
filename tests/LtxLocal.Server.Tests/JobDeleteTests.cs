using System.Net;
using LtxLocal.Server.Jobs;
using LtxLocal.Server.Storage;

namespace LtxLocal.Server.Tests;

/// <summary>
/// DELETE /v1/jobs/{id}: the file and the row go (204, then 404), a running job is cancelled first, and a worker that
/// finishes a job deleted under it (here, or on another node sharing the store) brings back neither the row nor a file.
/// </summary>
public sealed class JobDeleteTests : IAsyncLifetime
{
    private readonly TestHost _host = new();

    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task<HttpResponseMessage> DeleteAsync(string id) => _host.Client.DeleteAsync($"/v1/jobs/{id}");

    private List<string> FilesOf(string id)
    {
        var storage = _host.Service<OutputStore>();
        return [.. new[] { storage.OutputsDir, storage.InputsDir }.Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, $"{id}*"))];
    }

    /// <summary>Waits until no worker of this process holds the job (its cleanup has run).</summary>
    private async Task WorkerDoneAsync(string id)
    {
        var running = _host.Service<RunningJobs>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (running.Ids.Contains(id))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the worker still holds job {id}");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task Deleting_a_completed_job_removes_its_file_and_row()
    {
        var id = (string)(await _host.SubmitAsync())["id"]!;
        await _host.WaitForAsync(id, "completed");
        Assert.Single(FilesOf(id), f => f.EndsWith(".mp4", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.NoContent, (await DeleteAsync(id)).StatusCode);

        Assert.Empty(FilesOf(id));
        Assert.Null(await _host.Service<IJobStore>().GetAsync(id, default));
        await TestHost.AssertErrorAsync(await _host.PostAsync($"/v1/jobs/{id}"), 404, "not_found");
        await TestHost.AssertErrorAsync(await _host.PostAsync($"/v1/jobs/{id}/download"), 404, "not_found");
        await TestHost.AssertErrorAsync(await DeleteAsync(id), 404, "not_found");
    }

    [Fact]
    public async Task Deleting_an_unknown_job_is_404()
    {
        await TestHost.AssertErrorAsync(await DeleteAsync(Guid.NewGuid().ToString()), 404, "not_found");
        await TestHost.AssertErrorAsync(await DeleteAsync("not-an-id"), 404, "not_found");
    }

    [Fact]
    public async Task Deleting_a_running_job_cancels_it_and_the_worker_leaves_nothing()
    {
        _host.Generator.Hold();
        var id = (string)(await _host.SubmitAsync())["id"]!;
        await _host.Generator.WaitForStartAsync();

        Assert.Equal(HttpStatusCode.NoContent, (await DeleteAsync(id)).StatusCode);
        _host.Generator.Release();
        await WorkerDoneAsync(id);

        Assert.Null(await _host.Service<IJobStore>().GetAsync(id, default));
        Assert.Empty(FilesOf(id));
        Assert.Equal(1, await CancelledCountAsync());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_worker_finishing_a_deleted_job_recreates_neither_row_nor_file(bool deletedHere)
    {
        var submitted = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var store = _host.Service<IJobStore>();
        _host.Generator.AfterFrames = async _ =>
        {
            var id = await submitted.Task;
            if (deletedHere)
            {
                Assert.Equal(HttpStatusCode.NoContent, (await DeleteAsync(id)).StatusCode);
                return;
            }
            // Another node's DELETE: the same row changes and file removals, but this process's worker is not told.
            var now = DateTimeOffset.UtcNow;
            Assert.True(await store.CancelAsync(id, new JobEnd(JobStatus.Cancelled, now, now.AddHours(1)), default));
            _host.Service<OutputStore>().DeleteJobFiles(id);
            await store.DeleteAsync(id, default);
        };
        var job = (string)(await _host.SubmitAsync())["id"]!;
        submitted.SetResult(job);
        await _host.Generator.WaitForStartAsync();
        await WorkerDoneAsync(job);

        Assert.Null(await store.GetAsync(job, default));
        Assert.Empty(FilesOf(job));
    }

    private async Task<long> CancelledCountAsync() =>
        (await _host.Service<IJobStore>().OutcomeCountsAsync(_host.Service<ClusterNode>().Name, default)).GetValueOrDefault("cancelled");
}
