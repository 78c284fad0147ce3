using LtxLocal.Inference.Denoising;
using LtxLocal.Inference.Pipelines.Blocks;
using LtxLocal.Torch;

namespace LtxLocal.Inference.Tests.Pipelines;

/// <summary>
/// The prompt-embedding cache on its own: least recently used out first once the bytes pass the capacity, a context
/// larger than the capacity not kept, capacity 0 keeping nothing, and a hit handing out its own copy with the same bytes.
/// </summary>
public sealed class PromptEmbeddingCacheTests
{
    private const string Encoder = "encoder-a";

    // A context of float32 video [1, n, 4] (and audio [1, n, 2]): 24·n bytes, values from the seed.
    private static PromptContext Context(int n, float seed) => new(
        Tensor.Arange(n * 4, DType.Float32).Reshape(1, n, 4).Add(seed),
        Tensor.Arange(n * 2, DType.Float32).Reshape(1, n, 2).Mul(seed));

    private static PromptCacheKey Key(string prompt) => new(Encoder, prompt);

    [Fact]
    public void The_least_recently_used_prompt_goes_first_when_the_bytes_pass_the_capacity()
    {
        using var scope = TorchRuntime.NewDisposeScope(); // the tests' tensors; the cache keeps copies of its own
        using var cache = new PromptEmbeddingCache(capacityBytes: 2 * 24 * 10);
        cache.Add(Key("a"), Context(10, 1f));
        cache.Add(Key("b"), Context(10, 2f));
        Assert.Equal(2 * 24 * 10, cache.Bytes);
        Assert.NotNull(cache.TryGet(Key("a"), Device.Cpu, DType.Float32)); // "a" is now the most recent

        cache.Add(Key("c"), Context(10, 3f));

        Assert.Null(cache.TryGet(Key("b"), Device.Cpu, DType.Float32));
        Assert.NotNull(cache.TryGet(Key("a"), Device.Cpu, DType.Float32));
        Assert.NotNull(cache.TryGet(Key("c"), Device.Cpu, DType.Float32));
        Assert.Equal(2, cache.Count);
        Assert.Equal(2 * 24 * 10, cache.Bytes);
        Assert.Equal(3, cache.Hits); // "a" twice, "c" once; the miss on "b" is no hit
    }

    [Fact]
    public void A_larger_prompt_evicts_as_many_as_it_needs_and_one_over_the_capacity_is_not_kept()
    {
        using var scope = TorchRuntime.NewDisposeScope(); // the tests' tensors; the cache keeps copies of its own
        using var cache = new PromptEmbeddingCache(capacityBytes: 24 * 30);
        for (int i = 0; i < 3; i++) cache.Add(Key($"p{i}"), Context(10, i));
        cache.Add(Key("big"), Context(20, 9f));
        Assert.Equal(2, cache.Count);
        Assert.Null(cache.TryGet(Key("p0"), Device.Cpu, DType.Float32));
        Assert.Null(cache.TryGet(Key("p1"), Device.Cpu, DType.Float32));
        Assert.Equal(24 * 30, cache.Bytes);

        cache.Add(Key("huge"), Context(31, 1f));
        Assert.Null(cache.TryGet(Key("huge"), Device.Cpu, DType.Float32));
        Assert.Equal(24 * 30, cache.Bytes);
    }

    [Fact]
    public void Capacity_zero_keeps_nothing()
    {
        using var scope = TorchRuntime.NewDisposeScope(); // the tests' tensors; the cache keeps copies of its own
        using var cache = new PromptEmbeddingCache(0);
        cache.Add(Key("a"), Context(4, 1f));
        Assert.Null(cache.TryGet(Key("a"), Device.Cpu, DType.Float32));
        Assert.Equal(0, cache.Bytes);
        Assert.Equal(0, cache.Hits);
    }

    [Fact]
    public void A_hit_is_a_copy_with_the_encoded_bytes_that_outlives_the_caller()
    {
        using var scope = TorchRuntime.NewDisposeScope(); // the tests' tensors; the cache keeps copies of its own
        using var cache = new PromptEmbeddingCache(1 << 20);
        var original = Context(6, 0.37f);
        var (video, audio) = (original.Video.ToBytes(), original.Audio!.ToBytes());
        cache.Add(Key("a"), original);
        original.Video.Dispose(); // the run that encoded it ends
        original.Audio.Dispose();

        for (int i = 0; i < 2; i++)
        {
            var hit = cache.TryGet(Key("a"), Device.Cpu, DType.Float32)!;
            Assert.Equal(video, hit.Video.ToBytes());
            Assert.Equal(audio, hit.Audio!.ToBytes());
        }
        // Another encoder (another model, or the text encoder on another device) is another key.
        Assert.Null(cache.TryGet(new PromptCacheKey("encoder-b", "a"), Device.Cpu, DType.Float32));
    }

    [Fact]
    public async Task Hits_copied_while_another_thread_evicts_the_entry_keep_their_bytes()
    {
        // One entry fits: every Add evicts the other prompt, often while a reader is copying it outside the lock. The
        // writer goes on until the reader has had 200 hits (or a minute has passed, which fails the test).
        using var cache = new PromptEmbeddingCache(capacityBytes: 24 * 64);
        byte[] expected;
        using (TorchRuntime.NewDisposeScope()) expected = Context(64, 0.5f).Video.ToBytes();
        int hits = 0;
        var done = false;
        var reader = Task.Run(() =>
        {
            while (!Volatile.Read(ref done))
            {
                using var scope = TorchRuntime.NewDisposeScope();
                if (cache.TryGet(Key("a"), Device.Cpu, DType.Float32) is not { } hit) continue;
                Assert.Equal(expected, hit.Video.ToBytes());
                Interlocked.Increment(ref hits);
            }
        });
        var writer = Task.Run(() =>
        {
            var deadline = DateTime.UtcNow.AddMinutes(1);
            for (int i = 0; Volatile.Read(ref hits) < 200 && DateTime.UtcNow < deadline && !reader.IsCompleted; i++)
            {
                using var scope = TorchRuntime.NewDisposeScope();
                cache.Add(Key(i % 2 == 0 ? "a" : "b"), Context(64, i % 2 == 0 ? 0.5f : 2f));
            }
            Volatile.Write(ref done, true);
        });
        await Task.WhenAll(writer, reader);
        Assert.True(cache.Count == 1 && cache.Bytes == 24 * 64, $"{cache.Count} entries, {cache.Bytes} bytes");
        Assert.True(hits >= 200, $"the reader found the entry {hits} times in a minute");
    }
}
