using LtxLocal.Models.TextEncoder.Gemma;
using LtxLocal.Models.TextEncoder.Tokenizers;
using LtxLocal.Torch;

namespace LtxLocal.Models.TextEncoder.Enhancement;

/// <summary>
/// Prompt enhancement with Gemma 3 (ltx_core LTXGemmaTextEncoder.enhance_t2v): the system prompt and
/// "user prompt: ..." in Gemma's chat format, then token-by-token generation with a KV cache and the tied embedding
/// as output head, stopping at an end-of-turn / eos id. Text-only: the image-conditioned (i2v) variant needs the
/// vision tower, which this port does not load, so i2v requests enhance from the text alone.
/// </summary>
public sealed class PromptEnhancer
{
    private readonly IGemmaTextModel _model;
    private readonly GemmaTokenizer _tokenizer;

    public PromptEnhancer(IGemmaTextModel model, GemmaTokenizer tokenizer)
    {
        _model = model;
        _tokenizer = tokenizer;
    }

    /// <summary>Gemma 3's chat template: the system text opens the first user turn, then the model turn begins.</summary>
    public static string ChatText(string systemPrompt, string prompt) =>
        $"<start_of_turn>user\n{systemPrompt}\n\nuser prompt: {prompt}<end_of_turn>\n<start_of_turn>model\n";

    public string Enhance(string prompt, string systemPrompt, EnhanceOptions? options = null, CancellationToken cancellationToken = default) =>
        _tokenizer.Decode(Generate(prompt, systemPrompt, options, cancellationToken)).Trim();

    /// <summary>
    /// The generated token ids (stop token excluded), at most <see cref="EnhanceOptions.MaxNewTokens"/>; a cancel is
    /// honoured between tokens.
    /// </summary>
    public IReadOnlyList<int> Generate(string prompt, string systemPrompt, EnhanceOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new EnhanceOptions();
        var sp = _tokenizer.Processor;
        var promptIds = new List<long> { _tokenizer.BosId };
        promptIds.AddRange(sp.Encode(ChatText(systemPrompt, prompt)).Select(i => (long)i));
        // Left pad to a multiple of 8 like the reference (pads masked out).
        int pad = (8 - promptIds.Count % 8) % 8;
        var ids = Enumerable.Repeat((long)_tokenizer.PadId, pad).Concat(promptIds).ToArray();
        var maskValues = Enumerable.Repeat(0L, pad).Concat(Enumerable.Repeat(1L, promptIds.Count)).ToList();

        var stops = new HashSet<long>(_model.EosTokenIds.Select(i => (long)i)) { sp.EosId };
        int endOfTurn = sp.PieceToId("<end_of_turn>");
        if (endOfTurn != sp.UnkId) stops.Add(endOfTurn);

        var device = _model.EmbeddingWeight.Device;
        using var generator = new Generator(options.Seed, device);
        using var cache = new GemmaKvCache(_model.NumLayers);
        var history = new List<long>(ids);
        var generated = new List<int>();
        var step = ids;
        for (int n = 0; n < options.MaxNewTokens; n++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = TorchRuntime.NewDisposeScope();
            var input = Tensor.From(step, 1, step.Length).To(device);
            var mask = Tensor.From(maskValues.ToArray(), 1, maskValues.Count).To(device);
            using var output = _model.Forward(input, mask, outputHiddenStates: false, cache);
            // The head runs in the model's dtype and the logits go to float32 after (transformers' lm_head, then
            // .float()): upcasting the whole [vocab, hidden] embedding every token would cost more than the step.
            var last = output.LastHiddenState.Select(1, -1).Select(0, 0);                                    // [hidden]
            var logits = _model.EmbeddingWeight.MatMul(last.Unsqueeze(-1)).Squeeze(-1).To(DType.Float32);   // [vocab]
            if (_model.FinalLogitSoftcapping is double cap) logits = (logits / cap).Tanh() * cap;
            long next = GemmaSampler.Next(logits, history, options, generator);
            if (stops.Contains(next)) break;
            generated.Add((int)next);
            history.Add(next);
            step = [next];
            maskValues.Add(1);
        }
        return generated;
    }

    /// <summary>The file name of the reference's Gemma 3 system prompt for text-to-video or image-to-video.</summary>
    public static string SystemPromptFileName(bool textToVideo) =>
        textToVideo ? "gemma3_t2v_system_prompt.txt" : "gemma3_i2v_system_prompt.txt";

    /// <summary>
    /// The reference's system prompt for text-to-video or image-to-video, read from <paramref name="folder"/>
    /// (files <c>gemma3_t2v_system_prompt.txt</c> / <c>gemma3_i2v_system_prompt.txt</c> as ltx_core ships them).
    /// </summary>
    public static string SystemPrompt(string folder, bool textToVideo)
    {
        var path = Path.Combine(folder, SystemPromptFileName(textToVideo));
        if (!File.Exists(path))
            throw new FileNotFoundException($"prompt enhancement needs the system prompt {path} (from ltx_core's text_encoders/gemma/encoders/prompts)", path);
        return File.ReadAllText(path);
    }
}
