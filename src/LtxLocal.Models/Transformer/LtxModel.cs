using LtxLocal.Torch;
using LtxLocal.Torch.NN;

namespace LtxLocal.Models.Transformer;

/// <summary>
/// The LTX-2 audio-video diffusion transformer (model.py LTXModel): predicts the velocity of each stream's latent
/// tokens. Built from an <see cref="LtxModelConfig"/>; parameter names are the checkpoint's (after the
/// <c>model.diffusion_model.</c> prefix). <c>blockLinearOptions</c> lets the block projections be stored
/// differently (fp8-cast) from everything else.
/// </summary>
public sealed class LtxModel : Module
{
    private readonly TransformerArgsPreprocessor? _videoPreprocessor, _audioPreprocessor;
    private readonly OutputHead? _videoHead, _audioHead;
    private readonly ModuleList<BasicAvTransformerBlock> _blocks;
    private readonly TensorSlot? _keyframesEmbedding;

    public LtxModel(LtxModelConfig config, ModuleOptions? options = null, ModuleOptions? blockLinearOptions = null)
    {
        Config = config;
        var o = options ?? ModuleOptions.Default;
        bool video = config.ModelType.HasVideo(), audio = config.ModelType.HasAudio(), both = video && audio;
        if (video)
        {
            _videoPreprocessor = StreamInputs("", config.InChannels, config.InnerDim, config.NumAttentionHeads, config.PositionalEmbeddingMaxPos, o);
            if (config.UseKeyframesAbsPosEmbedding) _keyframesEmbedding = AddParameter("keyframes_abs_pos_embedding", NewTensor(new[] { 1L, config.InnerDim }, o));
            _videoHead = new OutputHead(this, "", config.InnerDim, config.OutChannels, config.NormEps, o);
        }
        if (audio)
        {
            _audioPreprocessor = StreamInputs("audio_", config.AudioInChannels, config.AudioInnerDim, config.AudioNumAttentionHeads,
                config.AudioPositionalEmbeddingMaxPos, o);
            _audioHead = new OutputHead(this, "audio_", config.AudioInnerDim, config.AudioOutChannels, config.NormEps, o);
        }
        if (both)
        {
            _videoPreprocessor!.CrossScaleShiftAdaLn = RegisterModule("av_ca_video_scale_shift_adaln_single", new AdaLayerNormSingle(config.InnerDim, 4, o));
            _audioPreprocessor!.CrossScaleShiftAdaLn = RegisterModule("av_ca_audio_scale_shift_adaln_single", new AdaLayerNormSingle(config.AudioInnerDim, 4, o));
            _videoPreprocessor.CrossGateAdaLn = RegisterModule("av_ca_a2v_gate_adaln_single", new AdaLayerNormSingle(config.InnerDim, 1, o));
            _audioPreprocessor.CrossGateAdaLn = RegisterModule("av_ca_v2a_gate_adaln_single", new AdaLayerNormSingle(config.AudioInnerDim, 1, o));
        }
        if (_videoPreprocessor is not null) _videoPreprocessor.KeyframesEmbedding = () => _keyframesEmbedding?.Optional;
        _blocks = RegisterModule("transformer_blocks", new ModuleList<BasicAvTransformerBlock>(
            Enumerable.Range(0, config.NumLayers).Select(_ => new BasicAvTransformerBlock(config, o, blockLinearOptions ?? o)).ToList()));
    }

    public LtxModelConfig Config { get; }

    public int NumBlocks => Config.NumLayers;

    public IReadOnlyList<BasicAvTransformerBlock> Blocks => _blocks;

    private TransformerArgsPreprocessor StreamInputs(string prefix, long inChannels, long dim, long heads, long[] maxPos, ModuleOptions o)
    {
        var patchify = RegisterModule(prefix + "patchify_proj", new Linear(inChannels, dim, true, o));
        var caption = Config.CaptionChannels is int channels ? RegisterModule(prefix + "caption_projection", new CaptionProjection(channels, dim, o)) : null;
        var adaLn = RegisterModule(prefix + "adaln_single", new AdaLayerNormSingle(dim, Config.AdaLnCoefficient, o));
        var prompt = Config.HasPromptAdaLn ? RegisterModule(prefix + "prompt_adaln_single", new AdaLayerNormSingle(dim, 2, o)) : null;
        return new TransformerArgsPreprocessor(Config, patchify, adaLn, dim, heads, maxPos) { PromptAdaLn = prompt, CaptionProjection = caption };
    }

    /// <summary>
    /// Where the blocks' weights are while a forward runs: told before and after each block (all passes of a call run a
    /// block between one Enter and its Leave), so weights kept elsewhere can be brought in for the block. Null: the
    /// weights are where the module holds them.
    /// </summary>
    public IBlockResidency? Residency { get; set; }

    /// <summary>
    /// One denoising call: velocities [B, T, C] per present stream. <paramref name="perturbations"/> null = perturb
    /// nothing. <paramref name="debug"/>, when given, receives the preprocessed inputs and every block's output under
    /// the fixture names (<c>video.x</c>, <c>video.pe_cos</c>, <c>block0.video</c>, ...).
    /// </summary>
    public (Tensor? Video, Tensor? Audio) Forward(Modality? video, Modality? audio, BatchedPerturbations? perturbations = null,
        IDictionary<string, Tensor>? debug = null) => ForwardPasses([new ModelPass(video, audio, perturbations)], debug)[0];

    /// <summary>
    /// Several calls at once, block by block: each block runs for every pass before the next block starts, so a block's
    /// weights are needed once for all of them (the guidance passes of a step share one copy of a streamed block). Each
    /// pass computes exactly what <see cref="Forward"/> would.
    /// </summary>
    public IReadOnlyList<(Tensor? Video, Tensor? Audio)> ForwardPasses(IReadOnlyList<ModelPass> passes, IDictionary<string, Tensor>? debug = null)
    {
        foreach (var pass in passes)
        {
            if (pass.Video is not null && _videoPreprocessor is null) throw new ArgumentException("this model has no video stream");
            if (pass.Audio is not null && _audioPreprocessor is null) throw new ArgumentException("this model has no audio stream");
            if (pass.Video is null && pass.Audio is null) throw new ArgumentException("at least one of video or audio is needed");
        }
        using var scope = TorchRuntime.NewDisposeScope();
        var states = new PassState[passes.Count];
        try
        {
            for (int p = 0; p < passes.Count; p++)
            {
                var (video, audio, _) = passes[p];
                var state = states[p] = new PassState();
                if (video is not null) (state.Vx, state.VideoArgs) = _videoPreprocessor!.Prepare(video, audio);
                if (audio is not null) (state.Ax, state.AudioArgs) = _audioPreprocessor!.Prepare(audio, video);
                if (debug is not null) RecordInputs(debug, state.Vx, state.VideoArgs, state.Ax, state.AudioArgs);
            }
            for (int i = 0; i < _blocks.Count; i++)
            {
                Residency?.Enter(i);
                try
                {
                    for (int p = 0; p < passes.Count; p++) RunBlock(i, states[p], passes[p].Perturbations, debug);
                }
                finally
                {
                    Residency?.Leave(i);
                }
            }
            var outputs = new (Tensor? Video, Tensor? Audio)[passes.Count];
            for (int p = 0; p < passes.Count; p++)
            {
                var state = states[p];
                outputs[p] = (state.Vx is null ? null : scope.MoveToOuter(_videoHead!.Forward(state.Vx, state.VideoArgs!.EmbeddedTimestep)),
                    state.Ax is null ? null : scope.MoveToOuter(_audioHead!.Forward(state.Ax, state.AudioArgs!.EmbeddedTimestep)));
            }
            return outputs;
        }
        finally
        {
            foreach (var state in states)
            {
                state?.VideoArgs?.Dispose();
                state?.AudioArgs?.Dispose();
            }
        }
    }

    private void RunBlock(int i, PassState state, BatchedPerturbations? perturbations, IDictionary<string, Tensor>? debug)
    {
        using var blockScope = TorchRuntime.NewDisposeScope();
        var dtype = (state.Vx ?? state.Ax)!.DType;
        var vp = perturbations?.ForBlock(i, PerturbationType.SkipVideoSelfAttention, PerturbationType.SkipAudioToVideoCrossAttention, dtype) ?? BlockPerturbation.None;
        var ap = perturbations?.ForBlock(i, PerturbationType.SkipAudioSelfAttention, PerturbationType.SkipVideoToAudioCrossAttention, dtype) ?? BlockPerturbation.None;
        var (nextVideo, nextAudio) = _blocks[i].Forward(state.Vx, state.VideoArgs, vp, state.Ax, state.AudioArgs, ap);
        state.Vx = nextVideo is null ? null : blockScope.MoveToOuter(nextVideo);
        state.Ax = nextAudio is null ? null : blockScope.MoveToOuter(nextAudio);
        if (debug is not null)
        {
            if (state.Vx is not null) debug[$"block{i}.video"] = state.Vx.Alias().DetachFromScope();
            if (state.Ax is not null) debug[$"block{i}.audio"] = state.Ax.Alias().DetachFromScope();
        }
    }

    /// <summary>One pass's hidden states and prepared arguments while the blocks run.</summary>
    private sealed class PassState
    {
        public Tensor? Vx, Ax;
        public TransformerArgs? VideoArgs, AudioArgs;
    }

    /// <summary>x0 = latent − velocity·timesteps per token, in float32, cast back (utils.to_denoised as X0Model uses it).</summary>
    public static Tensor ToDenoised(Tensor latent, Tensor velocity, Tensor timesteps)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var x0 = latent.To(DType.Float32) - velocity.To(DType.Float32) * timesteps.To(DType.Float32);
        return scope.MoveToOuter(x0.To(latent.DType));
    }

    private static void RecordInputs(IDictionary<string, Tensor> debug, Tensor? vx, TransformerArgs? videoArgs, Tensor? ax, TransformerArgs? audioArgs)
    {
        void Put(string name, Tensor? t) { if (t is not null) debug[name] = t.Alias().DetachFromScope(); }
        foreach (var (stream, x, args) in new[] { ("video", vx, videoArgs), ("audio", ax, audioArgs) })
        {
            if (args is null) continue;
            Put($"{stream}.x", x);
            Put($"{stream}.timesteps", args.Timesteps);
            Put($"{stream}.embedded_timestep", args.EmbeddedTimestep);
            Put($"{stream}.pe_cos", args.PositionalEmbeddings.Cos);
            Put($"{stream}.pe_sin", args.PositionalEmbeddings.Sin);
            Put($"{stream}.context", args.Context);
            Put($"{stream}.context_mask", args.ContextMask);
            Put($"{stream}.prompt_timestep", args.PromptTimestep);
            Put($"{stream}.cross_pe_cos", args.CrossPositionalEmbeddings?.Cos);
            Put($"{stream}.cross_pe_sin", args.CrossPositionalEmbeddings?.Sin);
            Put($"{stream}.cross_scale_shift_timestep", args.CrossScaleShiftTimestep);
            Put($"{stream}.cross_gate_timestep", args.CrossGateTimestep);
        }
    }

    /// <summary>
    /// The output head (model.py _process_output): <c>scale_shift_table</c> [2, D] + embedded timestep gives shift
    /// (row 0) and scale (row 1); LayerNorm without affine, modulate, <c>proj_out</c>.
    /// </summary>
    private sealed class OutputHead
    {
        private readonly TensorSlot _table;
        private readonly LayerNorm _norm;
        private readonly Linear _projection;

        public OutputHead(LtxModel owner, string prefix, long dim, long outChannels, double eps, ModuleOptions o)
        {
            _table = owner.AddParameter(prefix + "scale_shift_table", NewTensor(new long[] { 2, dim }, o));
            _norm = new LayerNorm(new[] { dim }, eps, elementwiseAffine: false, options: o);
            _projection = owner.RegisterModule(prefix + "proj_out", new Linear(dim, outChannels, true, o));
        }

        public Tensor Forward(Tensor x, Tensor embeddedTimestep)
        {
            using var scope = TorchRuntime.NewDisposeScope();
            var table = _table.Value;
            var values = table.Unsqueeze(0).Unsqueeze(0) + embeddedTimestep.Unsqueeze(2); // [B, T, 2, D]
            var modulated = _norm.Forward(x) * (values.Select(2, 1) + 1.0) + values.Select(2, 0);
            return scope.MoveToOuter(_projection.Forward(modulated));
        }
    }
}
