using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace LieGG.Runtime.Models.Serialization;

/// <summary>A Python global a pickle names (<c>module.name</c>), allowed by <see cref="RestrictedUnpickler"/>'s caller.</summary>
internal sealed record PickleGlobal(string Module, string Name)
{
    public override string ToString() => $"{Module}.{Name}";
}

/// <summary>A Python dict (or OrderedDict) as the pickle built it: its items in insertion order, later keys replacing earlier ones.</summary>
internal sealed class PickleDict
{
    private readonly List<KeyValuePair<object?, object?>> items = [];

    public IReadOnlyList<KeyValuePair<object?, object?>> Items => items;

    public void Set(object? key, object? value)
    {
        int index = items.FindIndex(item => PickleValues.KeyEquals(item.Key, key));
        if (index >= 0) items[index] = new(key, value);
        else items.Add(new(key, value));
    }
}

/// <summary>A Python tuple.</summary>
internal sealed record PickleTuple(object?[] Items);

internal static class PickleValues
{
    public static bool KeyEquals(object? a, object? b) => a switch
    {
        null => b is null,
        string s => b is string t && s == t,
        _ => Equals(a, b),
    };

    public static string Describe(object? value) => value switch
    {
        null => "None",
        string => "a string",
        bool => "a bool",
        long or BigInteger => "an int",
        double => "a float",
        byte[] => "bytes",
        PickleTuple => "a tuple",
        List<object?> => "a list",
        PickleDict => "a dict",
        PickleGlobal g => $"the global {g}",
        _ => $"a {value.GetType().Name}",
    };
}

/// <summary>
/// A pickle reader that builds only plain data — None, bools, ints, floats, strings, bytes, tuples, lists, sets (as
/// lists) and dicts — plus what its caller allows: a fixed set of globals, each either a callable the caller
/// implements or a bare tag (e.g. a storage type). Any other global, object construction (INST, OBJ, NEWOBJ),
/// extension codes and out-of-band buffers are refused with an error naming them, so a stream cannot make this
/// process run or instantiate anything the caller did not list. It reads binary protocols 1–5, what
/// <c>torch.save</c> writes; the text opcodes of protocol 0 are refused. Work and memory are linear in the stream's
/// length: nothing is copied by reference-taking opcodes (DUP, GET), and there is no recursion.
/// </summary>
internal sealed class RestrictedUnpickler
{
    private readonly byte[] data;
    private readonly string source;
    private readonly IReadOnlyDictionary<PickleGlobal, Func<object?[], object?>?> globals;
    private readonly Func<object?, object?> persistentLoad;
    private readonly List<object?> stack = [];
    private readonly List<int> marks = [];
    private readonly Dictionary<long, object?> memo = [];
    private int position;

    /// <param name="globals">The allowed globals: a function to call when a pickle applies one to arguments (REDUCE), or null for a tag that may not be called.</param>
    /// <param name="persistentLoad">What a persistent id (BINPERSID) stands for.</param>
    public RestrictedUnpickler(byte[] data, string source, IReadOnlyDictionary<PickleGlobal, Func<object?[], object?>?> globals, Func<object?, object?> persistentLoad)
    {
        this.data = data;
        this.source = source;
        this.globals = globals;
        this.persistentLoad = persistentLoad;
    }

    public object? Load()
    {
        while (true)
        {
            int at = position;
            byte opcode = ReadByte();
            switch (opcode)
            {
                case 0x80: // PROTO
                    if (ReadByte() > 5) throw Refused(at, "a pickle protocol newer than 5");
                    break;
                case 0x95: // FRAME: a length hint only
                    Take(8);
                    break;
                case (byte)'.': // STOP
                    if (stack.Count != 1 || marks.Count != 0) throw Malformed(at, "STOP leaves a stack other than one value");
                    return stack[0];
                case (byte)'(': marks.Add(stack.Count); break; // MARK
                case (byte)'0': Pop(at); break; // POP
                case (byte)'1': PopMark(at); break; // POP_MARK
                case (byte)'2': Push(Peek(at)); break; // DUP
                case (byte)'N': Push(null); break;
                case 0x88: Push(true); break; // NEWTRUE
                case 0x89: Push(false); break; // NEWFALSE
                case (byte)'J': Push((long)BinaryPrimitives.ReadInt32LittleEndian(Take(4))); break; // BININT
                case (byte)'K': Push((long)ReadByte()); break; // BININT1
                case (byte)'M': Push((long)BinaryPrimitives.ReadUInt16LittleEndian(Take(2))); break; // BININT2
                case 0x8a: Push(Long(Take(ReadByte()))); break; // LONG1
                case 0x8b: Push(Long(Take(Length(4, at)))); break; // LONG4
                case (byte)'G': Push(BinaryPrimitives.ReadDoubleBigEndian(Take(8))); break; // BINFLOAT
                case (byte)'X': Push(Utf8(Take(Length(4, at)), at)); break; // BINUNICODE
                case 0x8c: Push(Utf8(Take(ReadByte()), at)); break; // SHORT_BINUNICODE
                case 0x8d: Push(Utf8(Take(Length(8, at)), at)); break; // BINUNICODE8
                case (byte)'T': Push(Encoding.Latin1.GetString(Take(Length(4, at)))); break; // BINSTRING
                case (byte)'U': Push(Encoding.Latin1.GetString(Take(ReadByte()))); break; // SHORT_BINSTRING
                case (byte)'B': Push(Take(Length(4, at)).ToArray()); break; // BINBYTES
                case (byte)'C': Push(Take(ReadByte()).ToArray()); break; // SHORT_BINBYTES
                case 0x8e: Push(Take(Length(8, at)).ToArray()); break; // BINBYTES8
                case 0x96: Push(Take(Length(8, at)).ToArray()); break; // BYTEARRAY8
                case (byte)']': Push(new List<object?>()); break; // EMPTY_LIST
                case (byte)'l': Push(new List<object?>(PopMark(at))); break; // LIST
                case (byte)'a': // APPEND
                {
                    var value = Pop(at);
                    AsList(Peek(at), at).Add(value);
                    break;
                }
                case (byte)'e': // APPENDS
                {
                    var values = PopMark(at);
                    AsList(Peek(at), at).AddRange(values);
                    break;
                }
                case 0x8f: Push(new List<object?>()); break; // EMPTY_SET, read as a list
                case 0x90: // ADDITEMS
                {
                    var values = PopMark(at);
                    AsList(Peek(at), at).AddRange(values);
                    break;
                }
                case 0x91: Push(new List<object?>(PopMark(at))); break; // FROZENSET
                case (byte)')': Push(new PickleTuple([])); break; // EMPTY_TUPLE
                case (byte)'t': Push(new PickleTuple(PopMark(at).ToArray())); break; // TUPLE
                case 0x85: Push(new PickleTuple([Pop(at)])); break; // TUPLE1
                case 0x86: // TUPLE2
                {
                    var b = Pop(at);
                    var a = Pop(at);
                    Push(new PickleTuple([a, b]));
                    break;
                }
                case 0x87: // TUPLE3
                {
                    var c = Pop(at);
                    var b = Pop(at);
                    var a = Pop(at);
                    Push(new PickleTuple([a, b, c]));
                    break;
                }
                case (byte)'}': Push(new PickleDict()); break; // EMPTY_DICT
                case (byte)'d': // DICT
                {
                    var items = PopMark(at);
                    var dict = new PickleDict();
                    SetItems(dict, items, at);
                    Push(dict);
                    break;
                }
                case (byte)'s': // SETITEM
                {
                    var value = Pop(at);
                    var key = Pop(at);
                    AsDict(Peek(at), at).Set(key, value);
                    break;
                }
                case (byte)'u': // SETITEMS
                {
                    var items = PopMark(at);
                    SetItems(AsDict(Peek(at), at), items, at);
                    break;
                }
                case (byte)'h': Push(Get(ReadByte(), at)); break; // BINGET
                case (byte)'j': Push(Get(BinaryPrimitives.ReadUInt32LittleEndian(Take(4)), at)); break; // LONG_BINGET
                case (byte)'q': memo[ReadByte()] = Peek(at); break; // BINPUT
                case (byte)'r': memo[BinaryPrimitives.ReadUInt32LittleEndian(Take(4))] = Peek(at); break; // LONG_BINPUT
                case 0x94: memo[memo.Count] = Peek(at); break; // MEMOIZE
                case (byte)'c': // GLOBAL
                    Push(Global(Line(at), Line(at), at));
                    break;
                case 0x93: // STACK_GLOBAL
                {
                    var name = Pop(at);
                    var module = Pop(at);
                    if (module is not string m || name is not string n) throw Malformed(at, "STACK_GLOBAL without a module and a name");
                    Push(Global(m, n, at));
                    break;
                }
                case (byte)'R': // REDUCE
                {
                    var arguments = Pop(at);
                    var callable = Pop(at);
                    if (callable is not PickleGlobal global) throw Malformed(at, $"REDUCE applies {PickleValues.Describe(callable)}, which cannot be called");
                    if (globals[global] is not { } function) throw Refused(at, $"a call of {global}, which may only be named, not called");
                    if (arguments is not PickleTuple tuple) throw Malformed(at, $"REDUCE's arguments are {PickleValues.Describe(arguments)}, not a tuple");
                    Push(function(tuple.Items));
                    break;
                }
                case (byte)'b': // BUILD: only the state of plain dicts (e.g. an OrderedDict's _metadata), which is dropped
                {
                    var state = Pop(at);
                    var target = Peek(at);
                    if (target is not PickleDict) throw Refused(at, $"setting the state of {PickleValues.Describe(target)}");
                    if (state is not (null or PickleDict or PickleTuple)) throw Malformed(at, $"BUILD with {PickleValues.Describe(state)} as state");
                    break;
                }
                case (byte)'Q': // BINPERSID
                    Push(persistentLoad(Pop(at)));
                    break;
                case (byte)'i': throw Refused(at, "object construction (INST)");
                case (byte)'o': throw Refused(at, "object construction (OBJ)");
                case 0x81: throw Refused(at, "object construction (NEWOBJ)");
                case 0x92: throw Refused(at, "object construction (NEWOBJ_EX)");
                case 0x82 or 0x83 or 0x84: throw Refused(at, "a global from the extension registry (EXT)");
                case 0x97 or 0x98: throw Refused(at, "an out-of-band buffer");
                case (byte)'P': throw Refused(at, "a text persistent id (protocol 0)");
                case (byte)'I' or (byte)'L' or (byte)'F' or (byte)'S' or (byte)'V' or (byte)'g' or (byte)'p':
                    throw Refused(at, $"the text opcode '{(char)opcode}' of pickle protocol 0; save with torch.save's default protocol");
                default:
                    throw Malformed(at, $"unknown opcode 0x{opcode:x2}");
            }
        }
    }

    private PickleGlobal Global(string module, string name, int at)
    {
        var global = new PickleGlobal(module, name);
        if (!globals.ContainsKey(global))
            throw Refused(at, $"the global {global}, which is not a tensor or a plain container");
        return global;
    }

    private void SetItems(PickleDict dict, List<object?> items, int at)
    {
        if (items.Count % 2 != 0) throw Malformed(at, "a dict with a key and no value");
        for (int i = 0; i < items.Count; i += 2) dict.Set(items[i], items[i + 1]);
    }

    private List<object?> AsList(object? value, int at) => value as List<object?> ?? throw Malformed(at, $"appending to {PickleValues.Describe(value)}");

    private PickleDict AsDict(object? value, int at) => value as PickleDict ?? throw Malformed(at, $"setting an item of {PickleValues.Describe(value)}");

    private object? Get(long index, int at) => memo.TryGetValue(index, out var value) ? value : throw Malformed(at, $"memo entry {index} is read before it is written");

    private void Push(object? value) => stack.Add(value);

    private object? Peek(int at)
    {
        if (stack.Count == 0 || marks.Count > 0 && marks[^1] == stack.Count) throw Malformed(at, "an opcode needs a value but the stack is empty");
        return stack[^1];
    }

    private object? Pop(int at)
    {
        var value = Peek(at);
        stack.RemoveAt(stack.Count - 1);
        return value;
    }

    private List<object?> PopMark(int at)
    {
        if (marks.Count == 0) throw Malformed(at, "an opcode needs a MARK but there is none");
        int mark = marks[^1];
        marks.RemoveAt(marks.Count - 1);
        var items = stack.GetRange(mark, stack.Count - mark);
        stack.RemoveRange(mark, stack.Count - mark);
        return items;
    }

    private byte ReadByte() => Take(1)[0];

    private ReadOnlySpan<byte> Take(long count)
    {
        if (count < 0 || count > data.Length - position)
            throw Malformed(position, $"it needs {count} more bytes but {data.Length - position} remain (truncated)");
        var span = data.AsSpan(position, (int)count);
        position += (int)count;
        return span;
    }

    private long Length(int bytes, int at)
    {
        var field = Take(bytes);
        ulong length = bytes == 4 ? BinaryPrimitives.ReadUInt32LittleEndian(field) : BinaryPrimitives.ReadUInt64LittleEndian(field);
        if (length > (ulong)(data.Length - position)) throw Malformed(at, $"a length of {length} bytes runs past the end ({data.Length - position} remain)");
        return (long)length;
    }

    private string Line(int at)
    {
        int end = Array.IndexOf(data, (byte)'\n', position);
        if (end < 0) throw Malformed(at, "a GLOBAL without its newline (truncated)");
        var text = Encoding.UTF8.GetString(data, position, end - position);
        position = end + 1;
        return text;
    }

    private static object Long(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == 0) return 0L;
        var value = new BigInteger(bytes, isUnsigned: false, isBigEndian: false);
        return value >= long.MinValue && value <= long.MaxValue ? (long)value : value;
    }

    private string Utf8(ReadOnlySpan<byte> bytes, int at)
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw Malformed(at, "a string that is not UTF-8");
        }
    }

    private InvalidDataException Malformed(int at, string why) => new($"{source}: the pickle is malformed at byte {at}: {why}.");

    private InvalidDataException Refused(int at, string what) => new($"{source}: the pickle asks for {what} (byte {at}), which this reader refuses: a state dict holds only tensors and plain containers (as torch.load(weights_only=True) reads it). Save model.state_dict(), not the model or other objects, with torch.save, or as safetensors.");
}
