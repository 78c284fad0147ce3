using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;
using LtxLocal.Torch.Native;

namespace LtxLocal.Torch.Safetensors;

/// <summary>
/// A memory-mapped .safetensors file. The header is validated on open; tensors are views on the mapped
/// bytes (no copy) until converted or moved to another device. The mapping is copy-on-write, so an
/// in-place op on a CPU view changes private pages, never the file, and it stays mapped while any view
/// of it is alive, even after this object is disposed. A file whose metadata asks for <see cref="RandomWeights"/> is
/// header-only: its tensors are drawn where they are loaded and its (sparse) data section is never mapped.
/// </summary>
public sealed unsafe class SafetensorsFile : ITensorSource, IDisposable
{
    private readonly Dictionary<string, SafetensorsEntry> _entries;
    private readonly MemoryMappedFile? _file;
    private readonly MemoryMappedViewAccessor? _view;
    private readonly byte* _base;
    private readonly RandomWeights? _random;
    private bool _disposed;

    private SafetensorsFile(string path)
    {
        Path = path;
        long length;
        ulong headerLength;
        byte[] header;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            length = stream.Length;
            if (length < 8) throw new SafetensorsException(path, $"file is {length} bytes, too short for the 8-byte header length");
            Span<byte> prefix = stackalloc byte[8];
            stream.ReadExactly(prefix);
            headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
            if (headerLength > (ulong)(length - 8))
                throw new SafetensorsException(path, $"header length {headerLength} runs past the end of the file ({length} bytes; truncated?)");
            if (headerLength > SafetensorsHeader.MaxHeaderBytes)
                throw new SafetensorsException(path, $"header length {headerLength} exceeds the {SafetensorsHeader.MaxHeaderBytes}-byte limit");
            header = new byte[headerLength];
            stream.ReadExactly(header);
        }
        catch (IOException e) when (e is not EndOfStreamException)
        {
            throw new SafetensorsException(path, $"cannot read file ({e.Message})", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new SafetensorsException(path, $"cannot read file ({e.Message})", e);
        }
        DataOffset = 8 + (long)headerLength;
        FileLength = length;
        (_entries, var metadata) = SafetensorsHeader.Parse(header, length - DataOffset, path);
        Metadata = metadata;
        _random = RandomWeights.From(metadata);
        if (_random is null && _entries.Values.Any(e => e.End > e.Begin))
        {
            _file = MemoryMappedFile.CreateFromFile(
                new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read), null, 0,
                MemoryMappedFileAccess.CopyOnWrite, HandleInheritability.None, leaveOpen: false);
            _view = _file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.CopyOnWrite);
            byte* pointer = null;
            _view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            _base = pointer + _view.PointerOffset;
        }
    }

    /// <summary>Opens and validates <paramref name="path"/>; a corrupt file raises <see cref="SafetensorsException"/>.</summary>
    public static SafetensorsFile Open(string path)
    {
        if (!File.Exists(path)) throw new SafetensorsException(path, "file not found");
        return new SafetensorsFile(path);
    }

    public string Path { get; }

    public long FileLength { get; }

    /// <summary>Where the data section starts (8 + header length).</summary>
    public long DataOffset { get; }

    /// <summary>The header's __metadata__ (string to string), e.g. "config" with the model's JSON config.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    public IReadOnlyDictionary<string, SafetensorsEntry> Entries => _entries;

    public IReadOnlyCollection<string> Keys => _entries.Keys;

    public bool Contains(string name) => _entries.ContainsKey(name);

    public TensorInfo Info(string name) => Entry(name).Info;

    /// <summary>Total bytes of tensor data.</summary>
    public long DataBytes => _entries.Values.Sum(e => e.End - e.Begin);

    private SafetensorsEntry Entry(string name) =>
        _entries.TryGetValue(name, out var entry) ? entry : throw new KeyNotFoundException($"{Path}: no tensor '{name}'");

    /// <summary>A CPU tensor viewing the mapped bytes of <paramref name="name"/> (copied only if misaligned).</summary>
    public Tensor View(string name)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var entry = Entry(name);
        if (_random is not null) return _random.Draw(name, entry.Shape, entry.DType, Device.Cpu);
        if (entry.End == entry.Begin) return Tensor.Empty(entry.Shape, entry.DType);
        byte* data = _base + DataOffset + entry.Begin;
        var shape = entry.Shape;
        fixed (long* s = shape)
        {
            if ((long)data % entry.DType.ElementSize() != 0)
                return Tensor.Wrap(NativeMethods.ltx_from_data(data, s, shape.Length, (int)entry.DType), "safetensors view");
            var handle = NativeMethods.ltx_from_blob(data, s, shape.Length, (int)entry.DType);
            if (!handle.IsInvalid) handle.KeepOwnerAlive(_view!.SafeMemoryMappedViewHandle);
            return Tensor.Wrap(handle, "safetensors view");
        }
    }

    /// <summary>Loads one tensor to <paramref name="device"/> as <paramref name="dtype"/> (stored dtype when null).</summary>
    public Tensor Load(string name, Device device, DType? dtype = null)
    {
        if (_random is not null)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var entry = Entry(name);
            return _random.Draw(name, entry.Shape, dtype ?? entry.DType, device);
        }
        using var view = View(name);
        var result = view.To(device, dtype ?? view.DType);
        // Same device and dtype: the result shares the mapped bytes, so it must keep the mapping alive too.
        if (!view.IsDisposed && NativeMethods.ltx_tensor_data_ptr(result.Handle) == NativeMethods.ltx_tensor_data_ptr(view.Handle)
            && _view is not null && result.Numel > 0)
            result.Handle.KeepOwnerAlive(_view.SafeMemoryMappedViewHandle);
        return result;
    }

    /// <summary>Every tensor, loaded to <paramref name="device"/> (CPU views when null).</summary>
    public Dictionary<string, Tensor> LoadAll(Device? device = null, DType? dtype = null)
    {
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var name in _entries.Keys) result[name] = Load(name, device ?? Device.Cpu, dtype);
        return result;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (_view is not null)
        {
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _view.Dispose();
        }
        _file?.Dispose();
    }
}
