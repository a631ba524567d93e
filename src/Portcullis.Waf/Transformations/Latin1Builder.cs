using System.Buffers;

namespace Portcullis.Waf.Transformations;

/// <summary>
/// A growable char buffer that starts on the caller's stack and rents from <see cref="ArrayPool{T}"/> only when the
/// output outgrows it, so a transformation allocates nothing beyond its result. Dispose it to return the rental.
/// </summary>
internal ref struct Latin1Builder
{
    private char[]? _rented;
    private Span<char> _chars;
    private int _length;

    public Latin1Builder(Span<char> initialBuffer)
    {
        _chars = initialBuffer;
    }

    public readonly int Length => _length;

    public readonly ReadOnlySpan<char> Written => _chars[.._length];

    /// <summary>The written chars, for algorithms that rewrite their input in place (normalizePath).</summary>
    public readonly Span<char> WritableChars => _chars[.._length];

    /// <summary>Makes room for <paramref name="capacity"/> chars in total, so a decoder whose output is never longer
    /// than its input rents at most once.</summary>
    public void EnsureCapacity(int capacity)
    {
        if (capacity > _chars.Length)
        {
            Grow(capacity - _length);
        }
    }

    public void Append(char c)
    {
        if (_length == _chars.Length)
        {
            Grow(1);
        }
        _chars[_length++] = c;
    }

    public void Append(ReadOnlySpan<char> chars)
    {
        if (_length + chars.Length > _chars.Length)
        {
            Grow(chars.Length);
        }
        chars.CopyTo(_chars[_length..]);
        _length += chars.Length;
    }

    /// <summary>Drops the last char written (cmdLine removes a space it already wrote).</summary>
    public void RemoveLast()
    {
        if (_length > 0)
        {
            _length--;
        }
    }

    public readonly char Last => _chars[_length - 1];

    public override readonly string ToString() => new(_chars[.._length]);

    /// <summary>The result, or <paramref name="original"/> itself when the output spells the same bytes.</summary>
    public readonly string ToStringOrOriginal(string original) =>
        Written.SequenceEqual(original) ? original : new string(Written);

    public void Dispose()
    {
        if (_rented is not null)
        {
            ArrayPool<char>.Shared.Return(_rented);
            _rented = null;
        }
    }

    private void Grow(int additional)
    {
        var next = ArrayPool<char>.Shared.Rent(Math.Max(_length + additional, _chars.Length * 2));
        _chars[.._length].CopyTo(next);
        if (_rented is not null)
        {
            ArrayPool<char>.Shared.Return(_rented);
        }
        _rented = next;
        _chars = next;
    }
}
