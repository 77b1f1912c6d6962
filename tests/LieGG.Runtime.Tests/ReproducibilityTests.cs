using System.Runtime.InteropServices;

namespace LieGG.Runtime.Tests;

public sealed partial class ReproducibilityTests
{
    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr getenv(string name);

    [Fact]
    public void Mkl_reproducibility_mode_reaches_the_native_environment()
    {
        Reproducibility.Ensure();
        var value = Marshal.PtrToStringUTF8(getenv(Reproducibility.Variable));
        Assert.False(string.IsNullOrEmpty(value), "native code must see MKL_CBWR");
        Assert.Equal(Environment.GetEnvironmentVariable(Reproducibility.Variable), value);
    }
}
