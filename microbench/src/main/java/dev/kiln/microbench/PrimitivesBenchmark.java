package dev.kiln.microbench;

import dev.kiln.core.chunk.ChunkerParams;
import dev.kiln.core.chunk.FastCdcChunker;
import dev.kiln.core.compress.ZstdCompressor;
import dev.kiln.core.crypto.Aead;
import dev.kiln.core.id.BlobId;
import dev.kiln.core.id.BlobIdentifier;
import dev.kiln.core.id.HashAlgorithm;
import dev.kiln.core.pack.BlobCodec;
import dev.kiln.core.pack.BlobType;
import dev.kiln.core.pack.PackEntry;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * kiln's primitives next to the JDK's own, one thread each. Every benchmark handles exactly one MiB per operation,
 * so the reported ops/s are MiB/s. Data: random bytes (incompressible), and source-like text for the compressors
 * (words of C, about 4:1 under zstd level 3, as the Linux tree of the corpus). Run with {@code bench/micro.sh}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
// The launcher's JIT options: without them, AES-GCM on 1 MiB messages runs at ~70 MiB/s for the first ~8 s, until
// C2 compiles the provider's methods that reach the CPU's AES and carry-less multiply instructions.
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-XX:+UseParallelGC", "-Xmx1g",
    "-XX:CompileCommand=quiet",
    "-XX:CompileCommand=CompileThresholdScaling,com.sun.crypto.provider.GaloisCounterMode*::*,0.01",
    "-XX:CompileCommand=CompileThresholdScaling,com.sun.crypto.provider.GHASH::*,0.01",
    "-XX:CompileCommand=CompileThresholdScaling,com.sun.crypto.provider.GCTR::*,0.01",
    "-XX:CompileCommand=CompileThresholdScaling,com.sun.crypto.provider.CounterMode::*,0.01",
    "-XX:CompileCommand=CompileThresholdScaling,sun.security.provider.DigestBase::*,0.01",
    "-XX:CompileCommand=CompileThresholdScaling,sun.security.provider.SHA2::*,0.01"})
@State(Scope.Thread)
public class PrimitivesBenchmark {
    static final int MIB = 1 << 20;
    /** The chunker's input: long enough for about 64 chunks of the default parameters (1 MiB average). */
    static final int CHUNK_INPUT_MIB = 64;

    byte[] random;
    byte[] text;
    byte[] chunkInput;
    byte[] textZstd;
    byte[] textDeflated;
    byte[] out = new byte[2 * MIB];
    FastCdcChunker chunker;
    BlobIdentifier sha256Ids;
    BlobIdentifier tigerIds;
    MessageDigest sha256;
    CRC32C crc = new CRC32C();
    ZstdCompressor zstd;
    Deflater deflater1 = new Deflater(1);
    Deflater deflater6 = new Deflater(6);
    Inflater inflater = new Inflater();
    Aead aead;
    Cipher gcm;
    SecretKeySpec aesKey;
    byte[] nonce = new byte[12];
    byte[] aad = new byte[33];
    BlobCodec codec;
    PackEntry sealedEntry;
    byte[] sealed;
    BlobCodec.Scratch scratch = new BlobCodec.Scratch();

    @Setup
    public void setUp() throws GeneralSecurityException {
        SplittableRandom r = new SplittableRandom(42);
        random = new byte[MIB];
        r.nextBytes(random);
        chunkInput = new byte[CHUNK_INPUT_MIB * MIB];
        r.nextBytes(chunkInput);
        text = sourceLikeText(r, MIB);
        byte[] key = new byte[32];
        r.nextBytes(key);

        byte[] gearSeed = new byte[2048];
        r.nextBytes(gearSeed);
        chunker = new FastCdcChunker(ChunkerParams.DEFAULT, gearSeed);
        sha256Ids = new BlobIdentifier(HashAlgorithm.SHA256, key);
        tigerIds = new BlobIdentifier(HashAlgorithm.TIGER_TREE, key);
        sha256 = MessageDigest.getInstance("SHA-256");
        zstd = new ZstdCompressor(3);
        textZstd = zstd.compress(text, 0, text.length);
        Deflater d = new Deflater(6);
        d.setInput(text);
        d.finish();
        byte[] buf = new byte[2 * MIB];
        int n = d.deflate(buf);
        textDeflated = java.util.Arrays.copyOf(buf, n);
        d.end();

        aead = new Aead(key);
        aesKey = new SecretKeySpec(key, "AES");
        gcm = Cipher.getInstance("AES/GCM/NoPadding");
        codec = new BlobCodec(aead, zstd);
        BlobId id = sha256Ids.identify(text);
        BlobCodec.SealedBlob s = codec.seal(BlobType.DATA, id, text, 0, text.length);
        sealed = s.sealed();
        sealedEntry = new PackEntry(BlobType.DATA, id, 0, sealed.length, s.rawLength(), s.compression());
    }

    /** Words of C source, one line every twelve words. */
    static byte[] sourceLikeText(SplittableRandom r, int size) {
        String[] words = {"static", "int", "return", "struct", "void", "if", "else", "for", "const", "char",
            "unsigned", "->", "{", "}", ";", "(", ")", "=", "0", "NULL", "sizeof", "u32", "dev", "len", "ret", "err"};
        StringBuilder sb = new StringBuilder(size + 64);
        int w = 0;
        while (sb.length() < size) {
            sb.append(words[r.nextInt(words.length)]).append(++w % 12 == 0 ? '\n' : ' ');
        }
        return java.util.Arrays.copyOf(sb.toString().getBytes(StandardCharsets.US_ASCII), size);
    }

    // --- chunking: kiln's FastCDC cut points over random data, next to one plain pass over the bytes ---

    @Benchmark
    @OperationsPerInvocation(CHUNK_INPUT_MIB)
    public int chunkFastCdc() {
        int chunks = 0;
        for (int off = 0; off < chunkInput.length; ) {
            off += chunker.cut(chunkInput, off, chunkInput.length - off);
            chunks++;
        }
        return chunks;
    }

    @Benchmark
    public long jdkCrc32cPass() {
        crc.reset();
        crc.update(random, 0, MIB);
        return crc.getValue();
    }

    // --- hashing: blob ids (HMAC-SHA-256 over the block hash) next to the JDK's plain SHA-256 ---

    @Benchmark
    public BlobId idSha256() {
        return sha256Ids.identify(random);
    }

    @Benchmark
    public BlobId idTigerTree() {
        return tigerIds.identify(random);
    }

    @Benchmark
    public byte[] jdkSha256() {
        return sha256.digest(random);
    }

    // --- compression: zstd level 3 (kiln's default) next to the JDK's Deflater ---

    @Benchmark
    public byte[] zstd3Compress() {
        return zstd.compress(text, 0, MIB);
    }

    @Benchmark
    public int jdkDeflate1() {
        deflater1.reset();
        deflater1.setInput(text);
        deflater1.finish();
        return deflater1.deflate(out);
    }

    @Benchmark
    public int jdkDeflate6() {
        deflater6.reset();
        deflater6.setInput(text);
        deflater6.finish();
        return deflater6.deflate(out);
    }

    @Benchmark
    public byte[] zstdDecompress() throws java.io.IOException {
        zstd.decompressInto(textZstd, 0, textZstd.length, out, MIB);
        return out;
    }

    @Benchmark
    public int jdkInflate() throws DataFormatException {
        inflater.reset();
        inflater.setInput(textDeflated);
        return inflater.inflate(out);
    }

    // --- encryption: kiln's AEAD (AES-256-GCM, fresh random nonce) next to the JDK's cipher with a counter nonce ---

    @Benchmark
    public byte[] aeadSeal() {
        return aead.seal(random, 0, MIB, aad);
    }

    @Benchmark
    public int jdkAesGcmEncrypt() throws GeneralSecurityException {
        nonce[0]++;
        gcm.init(Cipher.ENCRYPT_MODE, aesKey, new GCMParameterSpec(128, nonce));
        return gcm.doFinal(random, 0, MIB, out, 0);
    }

    // --- a whole blob: what backup does to each (zstd, then AES-GCM) and what restore and check undo ---

    @Benchmark
    public BlobCodec.SealedBlob blobSeal() {
        return codec.seal(BlobType.DATA, sealedEntry.id(), text, 0, MIB);
    }

    @Benchmark
    public int blobOpen() throws java.io.IOException {
        return codec.openInto(sealedEntry, sealed, 0, scratch);
    }
}
