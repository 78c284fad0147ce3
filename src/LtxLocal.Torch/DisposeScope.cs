namespace LtxLocal.Torch;

/// <summary>
/// Frees every tensor created on this thread while the scope is open, when it is disposed, unless the
/// tensor was moved out (<see cref="Tensor.MoveToOuterScope"/>) or detached. Scopes nest; GPU memory in a
/// denoising loop is returned at the end of each step instead of whenever the garbage collector runs.
/// </summary>
public sealed class DisposeScope : IDisposable
{
    [ThreadStatic] private static DisposeScope? _current;

    private readonly List<Tensor> _tensors = new();
    private bool _disposed;

    internal DisposeScope()
    {
        Outer = _current;
        _current = this;
    }

    /// <summary>The innermost open scope on this thread, or null.</summary>
    public static DisposeScope? Current => _current;

    public DisposeScope? Outer { get; }

    /// <summary>Tensors this scope will free (including ones disposed already).</summary>
    public int Count => _tensors.Count;

    internal void Add(Tensor tensor)
    {
        tensor.Scope = this;
        _tensors.Add(tensor);
    }

    /// <summary>Moves <paramref name="tensor"/> out of this scope into the enclosing one (or none).</summary>
    public Tensor MoveToOuter(Tensor tensor)
    {
        if (tensor.Scope != this) return tensor;
        tensor.Scope = null;
        LiveOuter?.Add(tensor);
        return tensor;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var tensor in _tensors)
        {
            // Tensors moved out have another (or no) scope now.
            if (tensor.Scope == this) tensor.Dispose();
        }
        _tensors.Clear();
        // Scopes close in order; a scope closed out of order still unlinks itself (skipping outer scopes closed already).
        if (_current == this) _current = LiveOuter;
    }

    // The nearest enclosing scope that is still open.
    private DisposeScope? LiveOuter
    {
        get
        {
            var outer = Outer;
            while (outer is { _disposed: true }) outer = outer.Outer;
            return outer;
        }
    }
}
