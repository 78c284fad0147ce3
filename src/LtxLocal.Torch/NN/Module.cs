namespace LtxLocal.Torch.NN;

/// <summary>
/// The base of every network module: a tree of named parameters, buffers and children whose dotted
/// names are PyTorch's (<c>transformer_blocks.0.attn1.to_q.weight</c>), so a released checkpoint loads
/// by plain name match. Build modules on <see cref="Device.Meta"/> to allocate nothing, then
/// <see cref="LoadStateDict(ITensorSource, string, bool, Device?, Action{long, long}?)"/> fills them on the target device.
/// </summary>
public abstract class Module : IDisposable
{
    private readonly OrderedDictionary<string, TensorSlot> _parameters = new(StringComparer.Ordinal);
    private readonly OrderedDictionary<string, TensorSlot> _buffers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _transientBuffers = new(StringComparer.Ordinal);
    private readonly OrderedDictionary<string, Module> _modules = new(StringComparer.Ordinal);

    /// <summary>Registers a parameter (null = an absent optional one, such as bias=False). Takes it out of any dispose scope.</summary>
    protected Tensor? RegisterParameter(string name, Tensor? tensor) => AddParameter(name, tensor).Optional;

    /// <summary>
    /// Registers a parameter and returns its slot, for a module that keeps the slot in a typed field and reads
    /// <see cref="TensorSlot.Value"/> in <c>Forward</c> (loads and conversions refill the slot).
    /// </summary>
    protected TensorSlot AddParameter(string name, Tensor? tensor)
    {
        var slot = new TensorSlot(GetType().Name, name, tensor?.DetachFromScope());
        _parameters[name] = slot;
        return slot;
    }

    /// <summary>Registers a buffer; non-persistent buffers are not part of the state dict.</summary>
    protected Tensor? RegisterBuffer(string name, Tensor? tensor, bool persistent = true) => AddBuffer(name, tensor, persistent).Optional;

    /// <summary>Registers a buffer and returns its slot (see <see cref="AddParameter"/>).</summary>
    protected TensorSlot AddBuffer(string name, Tensor? tensor, bool persistent = true)
    {
        var slot = new TensorSlot(GetType().Name, name, tensor?.DetachFromScope());
        _buffers[name] = slot;
        if (!persistent) _transientBuffers.Add(name);
        return slot;
    }

    protected T RegisterModule<T>(string name, T module) where T : Module
    {
        _modules[name] = module;
        return module;
    }

    /// <summary>The current tensor of a registered parameter (replaced by loads and conversions).</summary>
    protected Tensor Parameter(string name) =>
        _parameters.TryGetValue(name, out var slot) && slot.Optional is { } t ? t : throw new InvalidOperationException($"{GetType().Name} has no parameter '{name}'");

    protected Tensor? OptionalParameter(string name) => _parameters.TryGetValue(name, out var slot) ? slot.Optional : null;

    protected Tensor Buffer(string name) =>
        _buffers.TryGetValue(name, out var slot) && slot.Optional is { } t ? t : throw new InvalidOperationException($"{GetType().Name} has no buffer '{name}'");

    protected Module Child(string name) => _modules[name];

    public IEnumerable<(string Name, Module Module)> NamedChildren() => _modules.Select(p => (p.Key, p.Value));

    public IEnumerable<(string Name, Tensor Tensor)> NamedParameters() => Slots(includeBuffers: false).Select(s => (s.Name, s.Tensor));

    /// <summary>Parameters and persistent buffers: what a checkpoint holds.</summary>
    public Dictionary<string, Tensor> StateDict() => Slots(includeBuffers: true).ToDictionary(s => s.Name, s => s.Tensor);

    public long ParameterCount() => NamedParameters().Sum(p => p.Tensor.Numel);

    private readonly record struct Slot(string Name, TensorSlot Cell, Tensor Tensor);

    private IEnumerable<Slot> Slots(bool includeBuffers, bool includeTransient = false, string prefix = "")
    {
        foreach (var (name, slot) in _parameters)
            if (slot.Optional is { } tensor) yield return new Slot(prefix + name, slot, tensor);
        if (includeBuffers)
            foreach (var (name, slot) in _buffers)
                if (slot.Optional is { } tensor && (includeTransient || !_transientBuffers.Contains(name)))
                    yield return new Slot(prefix + name, slot, tensor);
        foreach (var (name, child) in _modules)
            foreach (var slot in child.Slots(includeBuffers, includeTransient, prefix + name + "."))
                yield return slot;
    }

    private void Replace(Slot slot, Tensor value)
    {
        var old = slot.Cell.Optional;
        slot.Cell.Replace(value.DetachFromScope());
        if (!ReferenceEquals(old, value)) old?.Dispose();
    }

    /// <summary>
    /// Fills every parameter and persistent buffer from <paramref name="source"/> (key = <paramref name="prefix"/> + name),
    /// one tensor at a time, converted to the module tensor's dtype, onto its device (<paramref name="device"/> for
    /// modules built on meta). Every missing, unexpected and shape-mismatched key is checked before any data is read
    /// and reported together; with <paramref name="strict"/> false only shape mismatches throw.
    /// </summary>
    public LoadReport LoadStateDict(ITensorSource source, string prefix = "", bool strict = true, Device? device = null,
        Action<long, long>? progress = null)
    {
        var slots = Slots(includeBuffers: true).ToList();
        var expected = new HashSet<string>(slots.Select(s => prefix + s.Name), StringComparer.Ordinal);
        var missing = new List<string>();
        var mismatched = new List<string>();
        foreach (var slot in slots)
        {
            var key = prefix + slot.Name;
            if (!source.Contains(key)) { missing.Add(key); continue; }
            var info = source.Info(key);
            var shape = slot.Tensor.Shape;
            if (!info.Shape.SequenceEqual(shape))
                mismatched.Add($"{key}: checkpoint {info.ShapeText} vs module [{string.Join(", ", shape)}]");
        }
        var unexpected = source.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal) && !expected.Contains(k))
            .Order(StringComparer.Ordinal).ToList();
        if (mismatched.Count > 0 || (strict && (missing.Count > 0 || unexpected.Count > 0)))
            throw new StateDictException(GetType().Name, missing, unexpected, mismatched);

        long total = slots.Where(s => source.Contains(prefix + s.Name)).Sum(s => source.Info(prefix + s.Name).ByteLength);
        long loaded = 0;
        foreach (var slot in slots)
        {
            var key = prefix + slot.Name;
            if (!source.Contains(key)) continue;
            var current = slot.Tensor;
            var target = current.Device.Type == DeviceType.Meta ? device ?? Device.Cpu : current.Device;
            Replace(slot, source.Load(key, target, current.DType));
            loaded += source.Info(key).ByteLength;
            progress?.Invoke(loaded, total);
        }
        return new LoadReport(missing, unexpected, loaded);
    }

    /// <summary>Loads from in-memory tensors (see the <see cref="ITensorSource"/> overload).</summary>
    public LoadReport LoadStateDict(IReadOnlyDictionary<string, Tensor> stateDict, bool strict = true, Device? device = null) =>
        LoadStateDict(new DictionaryTensorSource(stateDict), "", strict, device);

    /// <summary>Moves every tensor to <paramref name="device"/>; floating-point ones also to <paramref name="dtype"/> when given.</summary>
    public Module To(Device device, DType? dtype = null)
    {
        foreach (var slot in Slots(includeBuffers: true, includeTransient: true).ToList())
        {
            var t = slot.Tensor;
            var targetType = dtype is not null && t.DType.IsFloatingPoint() ? dtype.Value : t.DType;
            if (t.Device != device || t.DType != targetType) Replace(slot, t.To(device, targetType));
        }
        return this;
    }

    public virtual void Dispose()
    {
        foreach (var slot in _parameters.Values) slot.Optional?.Dispose();
        foreach (var slot in _buffers.Values) slot.Optional?.Dispose();
        foreach (var m in _modules.Values) m.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Creates a parameter tensor of the module's construction dtype/device (uninitialised values on real devices).</summary>
    protected static Tensor NewTensor(long[] shape, ModuleOptions options) => Tensor.Empty(shape, options.DType, options.Device);
}
