using System;
using System.Collections.Generic;
using System.Linq;

namespace Sim.Vulkan.Tests
{
    /// <summary>
    /// The memory layouts a compiled compute shader expects, read from its SPIR-V: the push-constant block and the
    /// element of each storage buffer, by binding. Types are written as in <see cref="ClrLayout"/> ("f32", "u32",
    /// "{f64@0 i32@8}") so the two sides compare as strings. glslc -O strips names, so everything is found by
    /// decorations and type structure, never by name.
    /// </summary>
    sealed class SpirvLayout
    {
        // Opcodes and enumerants from the SPIR-V specification (sections 3.32 and 3.20).
        const int OpTypeInt = 21, OpTypeFloat = 22, OpTypeRuntimeArray = 29, OpTypeStruct = 30, OpTypePointer = 32,
            OpVariable = 59, OpDecorate = 71, OpMemberDecorate = 72;
        const uint DecorationArrayStride = 6, DecorationBinding = 33, DecorationOffset = 35;
        const uint StorageClassUniform = 2, StorageClassPushConstant = 9, StorageClassStorageBuffer = 12;

        readonly Dictionary<uint, string> _scalars = new Dictionary<uint, string>();
        readonly Dictionary<uint, uint[]> _structMembers = new Dictionary<uint, uint[]>();
        readonly Dictionary<uint, uint> _runtimeArrayElements = new Dictionary<uint, uint>();
        readonly Dictionary<uint, (uint StorageClass, uint Pointee)> _pointers = new Dictionary<uint, (uint, uint)>();
        readonly Dictionary<uint, (uint Pointer, uint StorageClass)> _variables = new Dictionary<uint, (uint, uint)>();
        readonly Dictionary<uint, uint> _bindings = new Dictionary<uint, uint>();
        readonly Dictionary<uint, uint> _arrayStrides = new Dictionary<uint, uint>();
        readonly Dictionary<(uint Struct, uint Member), uint> _memberOffsets = new Dictionary<(uint, uint), uint>();

        public SpirvLayout(byte[] module)
        {
            uint[] words = new uint[module.Length / 4];
            Buffer.BlockCopy(module, 0, words, 0, words.Length * 4);
            const int headerWords = 5;
            for (int at = headerWords; at < words.Length;)
            {
                int opcode = (int)(words[at] & 0xFFFF), wordCount = (int)(words[at] >> 16);
                if (wordCount == 0) throw new FormatException("SPIR-V instruction of zero words at word " + at);
                Read(opcode, new ArraySegment<uint>(words, at + 1, wordCount - 1));
                at += wordCount;
            }
        }

        void Read(int opcode, ArraySegment<uint> operands)
        {
            switch (opcode)
            {
                case OpTypeInt: _scalars[operands[0]] = (operands[2] == 1 ? "i" : "u") + operands[1]; break;
                case OpTypeFloat: _scalars[operands[0]] = "f" + operands[1]; break;
                case OpTypeRuntimeArray: _runtimeArrayElements[operands[0]] = operands[1]; break;
                case OpTypeStruct: _structMembers[operands[0]] = operands.Skip(1).ToArray(); break;
                case OpTypePointer: _pointers[operands[0]] = (operands[1], operands[2]); break;
                case OpVariable: _variables[operands[1]] = (operands[0], operands[2]); break;
                case OpDecorate when operands[1] == DecorationBinding: _bindings[operands[0]] = operands[2]; break;
                case OpDecorate when operands[1] == DecorationArrayStride: _arrayStrides[operands[0]] = operands[2]; break;
                case OpMemberDecorate when operands[2] == DecorationOffset: _memberOffsets[(operands[0], operands[1])] = operands[3]; break;
            }
        }

        /// <summary>The push-constant block, or null when the shader has none.</summary>
        public string? PushConstants
        {
            get
            {
                foreach ((uint pointer, uint storageClass) in _variables.Values)
                {
                    if (storageClass == StorageClassPushConstant) return Describe(_pointers[pointer].Pointee);
                }
                return null;
            }
        }

        /// <summary>Each storage buffer's element type and array stride in bytes, by binding.</summary>
        public IReadOnlyDictionary<uint, (string Element, uint StrideBytes)> StorageBuffers
        {
            get
            {
                var buffers = new SortedDictionary<uint, (string, uint)>();
                foreach (KeyValuePair<uint, (uint Pointer, uint StorageClass)> variable in _variables)
                {
                    if (variable.Value.StorageClass != StorageClassStorageBuffer && variable.Value.StorageClass != StorageClassUniform) continue;
                    uint block = _pointers[variable.Value.Pointer].Pointee;
                    uint array = _structMembers[block].Single();
                    buffers[_bindings[variable.Key]] = (Describe(_runtimeArrayElements[array]), _arrayStrides[array]);
                }
                return buffers;
            }
        }

        string Describe(uint type)
        {
            if (_scalars.TryGetValue(type, out string? scalar)) return scalar;
            if (_structMembers.TryGetValue(type, out uint[]? members))
                return "{" + string.Join(" ", members.Select((member, i) => Describe(member) + "@" + _memberOffsets[(type, (uint)i)])) + "}";
            throw new NotSupportedException("SPIR-V type %" + type + " is neither a scalar nor a struct");
        }
    }
}
