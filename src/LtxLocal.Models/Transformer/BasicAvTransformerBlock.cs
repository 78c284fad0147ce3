using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.Transformer;

/// <summary>
/// One audio-video block (transformer.py BasicAVTransformerBlock): per stream AdaLN self-attention, text
/// cross-attention (optionally AdaLN-modulated on both sides), then audio→video and video→audio cross-attention on
/// the states before either update, then the AdaLN feed-forward. "rms" is a weightless RMS norm.
/// </summary>
public sealed class BasicAvTransformerBlock : Module
{
    private readonly LtxModelConfig _config;
    private readonly double _eps;
    private readonly Stream? _video, _audio;
    private readonly Attention? _audioToVideo, _videoToAudio;
    private readonly TensorSlot? _crossTableVideo, _crossTableAudio;

    public BasicAvTransformerBlock(LtxModelConfig config, ModuleOptions options, ModuleOptions linearOptions)
    {
        _config = config;
        _eps = config.NormEps;
        if (config.ModelType.HasVideo())
            _video = new Stream(this, "", config.InnerDim, config.NumAttentionHeads, config.AttentionHeadDim, config.CrossAttentionDim, config.FfBias, options, linearOptions);
        if (config.ModelType.HasAudio())
            _audio = new Stream(this, "audio_", config.AudioInnerDim, config.AudioNumAttentionHeads, config.AudioAttentionHeadDim,
                config.AudioCrossAttentionDim, config.AudioFfBias, options, linearOptions);
        if (_video is not null && _audio is not null)
        {
            // Both directions run at the audio width: Q video / K,V audio, and Q audio / K,V video.
            var crossModal = new AttentionConfig(config.InnerDim, config.AudioNumAttentionHeads, config.AudioAttentionHeadDim, _eps,
                config.RopeType, config.ApplyGatedAttention, config.AudioInnerDim);
            _audioToVideo = RegisterModule("audio_to_video_attn", new Attention(crossModal, options, linearOptions));
            _videoToAudio = RegisterModule("video_to_audio_attn",
                new Attention(crossModal with { QueryDim = config.AudioInnerDim, ContextDim = config.InnerDim }, options, linearOptions));
            _crossTableAudio = AddParameter("scale_shift_table_a2v_ca_audio", NewTensor(new long[] { 5, config.AudioInnerDim }, options));
            _crossTableVideo = AddParameter("scale_shift_table_a2v_ca_video", NewTensor(new long[] { 5, config.InnerDim }, options));
        }
    }

    /// <summary>Runs the block; returns the new hidden states (null for an absent stream).</summary>
    public (Tensor? Video, Tensor? Audio) Forward(Tensor? vx, TransformerArgs? video, BlockPerturbation videoPerturbation,
        Tensor? ax, TransformerArgs? audio, BlockPerturbation audioPerturbation)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        bool runVideo = video is not null && video.Enabled && vx!.Numel > 0;
        bool runAudio = audio is not null && audio.Enabled && ax!.Numel > 0;
        bool runA2V = runVideo && audio is not null && ax!.Numel > 0;
        bool runV2A = runAudio && video is not null && vx!.Numel > 0;

        if (runVideo) vx = AttentionSteps(_video!, vx!, video!, videoPerturbation);
        if (runAudio) ax = AttentionSteps(_audio!, ax!, audio!, audioPerturbation);

        if (runA2V || runV2A)
        {
            // Both directions read the states from before this step.
            Tensor vxBefore = vx!, axBefore = ax!;
            var videoTable = _crossTableVideo!.Value;
            var audioTable = _crossTableAudio!.Value;
            // A2V uses rows 0-1 (scale, shift) of both tables, V2A rows 2-3; row 4 is the gate, driven by the other stream's sigma.
            if (runA2V && !videoPerturbation.CrossAttentionSkipAll)
                vx = CrossModalUpdate(_audioToVideo!, vxBefore, videoTable, video!, axBefore, audioTable, audio!, 0, videoPerturbation.CrossAttentionMask);
            if (runV2A && !audioPerturbation.CrossAttentionSkipAll)
                ax = CrossModalUpdate(_videoToAudio!, axBefore, audioTable, audio!, vxBefore, videoTable, video!, 2, audioPerturbation.CrossAttentionMask);
        }

        if (runVideo) vx = FeedForwardStep(_video!, vx!, video!);
        if (runAudio) ax = FeedForwardStep(_audio!, ax!, audio!);
        return (vx is null ? null : scope.MoveToOuter(vx), ax is null ? null : scope.MoveToOuter(ax));
    }

    // Self-attention with rows 0-2 (shift, scale, gate), then text cross-attention on the re-normalised state.
    private Tensor AttentionSteps(Stream stream, Tensor x, TransformerArgs args, BlockPerturbation perturbation)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        return scope.MoveToOuter(AttentionStepsCore(stream, x, args, perturbation));
    }

    private Tensor AttentionStepsCore(Stream stream, Tensor x, TransformerArgs args, BlockPerturbation perturbation)
    {
        var table = stream.Table.Value;
        var (shift, scale, gate) = Rows3(table, args.Timesteps, 0);
        var attended = stream.SelfAttention.Forward(Modulate(x, scale, shift), pe: args.PositionalEmbeddings, mask: args.SelfAttentionMask,
            perturbationMask: perturbation.SelfAttentionMask, allPerturbed: perturbation.SelfAttentionAllPerturbed);
        x = x + attended * gate;
        var normed = Rms(x);
        if (!_config.CrossAttentionAdaLn) return x + stream.TextAttention.Forward(normed, args.Context, args.ContextMask);

        // Cross-attention AdaLN: rows 6-8 modulate the query; the prompt table (+ prompt AdaLN) modulates the context.
        var (shiftQ, scaleQ, gateQ) = Rows3(table, args.Timesteps, 6);
        var promptTable = stream.PromptTable!.Value;
        var kv = promptTable.Unsqueeze(0).Unsqueeze(0); // [1, 1, 2, D]
        if (args.PromptTimestep is { } prompt) kv = kv + prompt.Reshape(prompt.Size(0), prompt.Size(1), 2, -1);
        var context = args.Context * (kv.Select(2, 1) + 1.0) + kv.Select(2, 0);
        var query = normed * (scaleQ + 1.0) + shiftQ;
        return x + stream.TextAttention.Forward(query, context, args.ContextMask) * gateQ;
    }

    private Tensor FeedForwardStep(Stream stream, Tensor x, TransformerArgs args)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var (shift, scale, gate) = Rows3(stream.Table.Value, args.Timesteps, 3);
        return scope.MoveToOuter(x + stream.FeedForward.Forward(Modulate(x, scale, shift)) * gate);
    }

    private Tensor Rms(Tensor x) => F.RmsNorm(x, null, _eps);

    private Tensor Modulate(Tensor x, Tensor scale, Tensor shift) => Rms(x) * (scale + 1.0) + shift;

    /// <summary>table[start..start+3] + the modulation's rows, each [B, T, D] (get_ada_values).</summary>
    private static (Tensor, Tensor, Tensor) Rows3(Tensor table, Tensor modulation, int start)
    {
        var rows = AdaValues(table, modulation, start, 3);
        return (rows[0], rows[1], rows[2]);
    }

    private static Tensor[] AdaValues(Tensor table, Tensor modulation, int start, int count)
    {
        long rows = table.Size(0);
        var perRow = modulation.Reshape(modulation.Size(0), modulation.Size(1), rows, -1).Narrow(2, start, count); // [B, T, count, D]
        var values = table.Narrow(0, start, count).Unsqueeze(0).Unsqueeze(0) + perRow;
        return Enumerable.Range(0, count).Select(i => values.Select(2, i)).ToArray();
    }

    /// <summary>x + attention(modulated x, modulated other stream)·gate·keep, with each side's time-axis RoPE.</summary>
    private Tensor CrossModalUpdate(Attention attention, Tensor x, Tensor table, TransformerArgs args, Tensor other, Tensor otherTable,
        TransformerArgs otherArgs, int start, Tensor? keep)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var (scale, shift, gate) = CrossValues(table, args, start);
        var (otherScale, otherShift, _) = CrossValues(otherTable, otherArgs, start);
        var update = attention.Forward(Modulate(x, scale, shift), Modulate(other, otherScale, otherShift),
            pe: args.CrossPositionalEmbeddings, kPe: otherArgs.CrossPositionalEmbeddings) * gate;
        return scope.MoveToOuter(x + (keep is null ? update : update * keep));
    }

    /// <summary>The A/V rows read as (scale, shift) from rows start, start+1 of the first four, and the gate from row 4.</summary>
    private static (Tensor Scale, Tensor Shift, Tensor Gate) CrossValues(Tensor table, TransformerArgs args, int start)
    {
        var scaleShift = AdaValues(table.Narrow(0, 0, 4), args.CrossScaleShiftTimestep!, start, 2);
        var gate = AdaValues(table.Narrow(0, 4, 1), args.CrossGateTimestep!, 0, 1)[0];
        return (scaleShift[0], scaleShift[1], gate);
    }

    /// <summary>One stream's modules, registered under the reference's names (<c>attn1</c> or <c>audio_attn1</c>, ...).</summary>
    private sealed class Stream
    {
        public Stream(BasicAvTransformerBlock block, string prefix, long dim, long heads, long headDim, long contextDim, bool ffBias,
            ModuleOptions options, ModuleOptions linearOptions)
        {
            var c = block._config;
            var self = new AttentionConfig(dim, heads, headDim, c.NormEps, c.RopeType, c.ApplyGatedAttention);
            SelfAttention = block.RegisterModule(prefix + "attn1", new Attention(self, options, linearOptions));
            TextAttention = block.RegisterModule(prefix + "attn2", new Attention(self with { ContextDim = contextDim }, options, linearOptions));
            FeedForward = block.RegisterModule(prefix + "ff", new FeedForward(dim, ffBias, linearOptions));
            Table = block.AddParameter(prefix + "scale_shift_table", NewTensor(new long[] { c.AdaLnCoefficient, dim }, options));
            if (c.CrossAttentionAdaLn) PromptTable = block.AddParameter(prefix + "prompt_scale_shift_table", NewTensor(new long[] { 2, dim }, options));
        }

        public Attention SelfAttention { get; }

        public Attention TextAttention { get; }

        public FeedForward FeedForward { get; }

        /// <summary>The AdaLN rows (shift, scale, gate for attention, feed-forward and, with cross-attention AdaLN, the text query).</summary>
        public TensorSlot Table { get; }

        /// <summary>The prompt's (shift, scale) rows for cross-attention AdaLN; null without it.</summary>
        public TensorSlot? PromptTable { get; }
    }
}
