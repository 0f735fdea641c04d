using System;
using System.Collections.Generic;
using Silk.NET.Vulkan;
using VkBuffer = Silk.NET.Vulkan.Buffer;

namespace Sim.Vulkan
{
    /// <summary>
    /// A storage buffer of fixed-size elements (floats, ints, structs) for the kernels. Where the host can map the
    /// memory compute uses (lavapipe, integrated GPUs) it is one host-visible, coherent buffer read and written
    /// through a persistent mapping. Where it cannot (discrete GPUs), or when the context asks for it, the buffer
    /// lives in device-local memory and the host's writes and reads go through a mapped staging buffer and a copy.
    /// </summary>
    public sealed unsafe class ComputeBuffer : IDisposable
    {
        const BufferUsageFlags Transfer = BufferUsageFlags.TransferSrcBit | BufferUsageFlags.TransferDstBit;
        const MemoryPropertyFlags HostAccess = MemoryPropertyFlags.HostVisibleBit | MemoryPropertyFlags.HostCoherentBit;

        readonly VulkanContext _context;
        readonly DeviceAllocation _storage;
        readonly DeviceAllocation? _staging;
        // Element ranges written by WriteAt and not yet copied to the device (staged buffers only), in bytes.
        readonly List<BufferCopy> _pendingUploads = new List<BufferCopy>();
        bool _disposed;

        /// <param name="length">Elements the buffer holds.</param>
        /// <param name="elementBytes">Bytes of one element (4 for float, int or uint).</param>
        public ComputeBuffer(VulkanContext context, int length, int elementBytes = sizeof(float))
        {
            if (length <= 0)
                throw new ArgumentOutOfRangeException(nameof(length), length, "a Vulkan buffer must hold at least one element");
            _context = context;
            Length = length;
            ElementBytes = elementBytes;
            SizeBytes = (ulong)length * (ulong)elementBytes;
            // Bound to a shader as one storage buffer, a larger buffer would be read short: refuse it plainly.
            if (SizeBytes > context.MaxStorageBufferRange)
                throw new InvalidOperationException(SizeBytes + " bytes is more than the " + context.MaxStorageBufferRange + " one storage buffer may hold on " + context.DeviceInfo);
            if (!context.UsesStaging)
            {
                _storage = DeviceAllocation.Create(context, SizeBytes, BufferUsageFlags.StorageBufferBit, HostAccess);
                return;
            }
            _storage = DeviceAllocation.Create(context, SizeBytes, BufferUsageFlags.StorageBufferBit | Transfer, MemoryPropertyFlags.DeviceLocalBit);
            try
            {
                _staging = DeviceAllocation.Create(context, SizeBytes, Transfer, HostAccess);
            }
            catch
            {
                _storage.Free(context);
                throw;
            }
        }

        /// <summary>
        /// A buffer of at least <paramref name="length"/> elements: <paramref name="buffer"/> when it is large enough, else a
        /// new one of twice its length (or <paramref name="length"/>) replacing it, so kernels reuse device memory.
        /// </summary>
        public static ComputeBuffer GrownToFit(ComputeBuffer? buffer, VulkanContext context, int length, int elementBytes = sizeof(float))
        {
            if (buffer != null && buffer.Length >= length) return buffer;
            int grown = Math.Max(length, (buffer?.Length ?? 0) * 2);
            buffer?.Dispose();
            return new ComputeBuffer(context, grown, elementBytes);
        }

        /// <summary>Number of elements.</summary>
        public int Length { get; }

        public int ElementBytes { get; }

        public ulong SizeBytes { get; }

        internal VkBuffer Handle => _storage.Buffer;

        byte* HostView => _staging.HasValue ? _staging.Value.Mapped : _storage.Mapped;

        /// <summary>Copies <paramref name="values"/> into the buffer from element 0 (through the staging buffer where there is one).</summary>
        public void Write<T>(ReadOnlySpan<T> values) where T : unmanaged
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            CheckElement<T>();
            if (values.Length > Length)
                throw new ArgumentException("got " + values.Length + " values for a buffer of " + Length, nameof(values));
            values.CopyTo(new Span<T>(HostView, Length));
            if (_staging is DeviceAllocation staging) Copy(staging.Buffer, _storage.Buffer, (ulong)values.Length * (ulong)ElementBytes);
        }

        /// <summary>A copy of the first <paramref name="count"/> elements; call only after the work that wrote them has finished.</summary>
        public T[] Read<T>(int count) where T : unmanaged
        {
            if (count < 0 || count > Length) throw new ArgumentOutOfRangeException(nameof(count), count, "the buffer holds " + Length);
            var values = new T[count];
            ReadInto<T>(values);
            return values;
        }

        /// <summary>
        /// The first <paramref name="into"/>.Length elements into <paramref name="into"/> (through the staging buffer where
        /// there is one); call only after the work that wrote them has finished. Kernels read back this way: nothing allocated.
        /// </summary>
        public void ReadInto<T>(Span<T> into) where T : unmanaged
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            CheckElement<T>();
            if (into.Length > Length) throw new ArgumentOutOfRangeException(nameof(into), into.Length, "the buffer holds " + Length);
            if (_staging is DeviceAllocation staging && into.Length > 0) Copy(_storage.Buffer, staging.Buffer, (ulong)into.Length * (ulong)ElementBytes);
            new ReadOnlySpan<T>(HostView, into.Length).CopyTo(into);
        }

        public T[] Read<T>() where T : unmanaged => Read<T>(Length);

        /// <summary>
        /// Writes <paramref name="values"/> at element <paramref name="firstElement"/> of a resident buffer. Only these
        /// elements travel: a staged buffer queues them (adjacent writes merged) for the next submission that calls
        /// <see cref="RecordUploads"/>; a mapped one has them in place at once.
        /// </summary>
        public void WriteAt<T>(int firstElement, ReadOnlySpan<T> values) where T : unmanaged
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            CheckElement<T>();
            if (firstElement < 0 || values.Length > Length - firstElement)
                throw new ArgumentOutOfRangeException(nameof(firstElement), firstElement, values.Length + " values do not fit a buffer of " + Length);
            if (values.IsEmpty) return;
            values.CopyTo(new Span<T>(HostView + (long)firstElement * ElementBytes, values.Length));
            if (_staging == null) return;
            ulong offset = (ulong)firstElement * (ulong)ElementBytes, bytes = (ulong)values.Length * (ulong)ElementBytes;
            int last = _pendingUploads.Count - 1;
            if (last >= 0 && _pendingUploads[last].SrcOffset + _pendingUploads[last].Size == offset)
            {
                BufferCopy merged = _pendingUploads[last];
                merged.Size += bytes;
                _pendingUploads[last] = merged;
            }
            else _pendingUploads.Add(new BufferCopy { SrcOffset = offset, DstOffset = offset, Size = bytes });
        }

        /// <summary>Bytes queued by <see cref="WriteAt"/> for the next upload (0 where the buffer is mapped).</summary>
        public ulong PendingUploadBytes
        {
            get
            {
                ulong bytes = 0;
                foreach (BufferCopy region in _pendingUploads) bytes += region.Size;
                return bytes;
            }
        }

        /// <summary>Records one copy of every range queued by <see cref="WriteAt"/> into the device buffer (the caller adds the barrier).</summary>
        internal void RecordUploads(CommandBuffer commands)
        {
            if (_pendingUploads.Count == 0 || _staging is not DeviceAllocation staging) return;
            Span<BufferCopy> regions = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_pendingUploads);
            fixed (BufferCopy* first = regions) _context.Vk.CmdCopyBuffer(commands, staging.Buffer, _storage.Buffer, (uint)regions.Length, first);
            _pendingUploads.Clear();
        }

        /// <summary>Records the copy of <paramref name="count"/> elements from <paramref name="firstElement"/> to where the host reads them (nothing where the buffer is mapped).</summary>
        internal void RecordDownload(CommandBuffer commands, int firstElement, int count)
        {
            if (firstElement < 0 || count < 0 || count > Length - firstElement)
                throw new ArgumentOutOfRangeException(nameof(count), count, "elements from " + firstElement + " do not fit a buffer of " + Length);
            if (count == 0 || _staging is not DeviceAllocation staging) return;
            ulong offset = (ulong)firstElement * (ulong)ElementBytes;
            var region = new BufferCopy { SrcOffset = offset, DstOffset = offset, Size = (ulong)count * (ulong)ElementBytes };
            _context.Vk.CmdCopyBuffer(commands, _storage.Buffer, staging.Buffer, 1, &region);
        }

        /// <summary>Copies elements from <paramref name="firstElement"/> into <paramref name="into"/>, as the last <see cref="RecordDownload"/> of them left them.</summary>
        public void ReadAt<T>(int firstElement, Span<T> into) where T : unmanaged
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            CheckElement<T>();
            if (firstElement < 0 || into.Length > Length - firstElement)
                throw new ArgumentOutOfRangeException(nameof(firstElement), firstElement, into.Length + " elements do not fit a buffer of " + Length);
            new ReadOnlySpan<T>(HostView + (long)firstElement * ElementBytes, into.Length).CopyTo(into);
        }

        void Copy(VkBuffer from, VkBuffer to, ulong bytes)
        {
            if (bytes == 0) return;
            Vk vk = _context.Vk;
            CommandBuffer commands = _context.BeginCommands();
            var region = new BufferCopy { SrcOffset = 0, DstOffset = 0, Size = bytes };
            vk.CmdCopyBuffer(commands, from, to, 1, &region);
            // The copy's writes must land before the next shader or host read.
            var barrier = new MemoryBarrier
            {
                SType = StructureType.MemoryBarrier,
                SrcAccessMask = AccessFlags.TransferWriteBit,
                DstAccessMask = AccessFlags.ShaderReadBit | AccessFlags.HostReadBit,
            };
            vk.CmdPipelineBarrier(commands, PipelineStageFlags.TransferBit, PipelineStageFlags.ComputeShaderBit | PipelineStageFlags.HostBit, 0, 1, &barrier, 0, null, 0, null);
            _context.SubmitAndWait(_context.CopyTimeout);
        }

        void CheckElement<T>() where T : unmanaged
        {
            if (sizeof(T) != ElementBytes)
                throw new ArgumentException(typeof(T).Name + " is " + sizeof(T) + " bytes; this buffer's elements are " + ElementBytes);
        }

        public void Dispose()
        {
            if (_disposed)
                return;
            _disposed = true;
            if (_context.MayHaveWorkInFlight) return;
            _staging?.Free(_context);
            _storage.Free(_context);
        }
    }
}
