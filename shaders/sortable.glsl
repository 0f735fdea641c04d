// Keys as unsigned words whose unsigned order is the key's order (select_lowest.comp, select_radix.comp).

// Flip all bits of negatives, the sign bit of positives. -0 becomes +0 first, since the CPU's comparison holds them
// equal (and breaks the tie by index).
uint sortable(float key)
{
    uint bits = floatBitsToUint(key);
    if (bits == 0x80000000u) bits = 0u;
    return (bits & 0x80000000u) != 0u ? ~bits : bits | 0x80000000u;
}

// The same for a double, as (high word, low word).
uvec2 sortableDouble(double key)
{
    uvec2 halves = unpackDouble2x32(key);   // x: low word, y: high word
    uint high = halves.y, low = halves.x;
    if (high == 0x80000000u && low == 0u) high = 0u;
    return (high & 0x80000000u) != 0u ? uvec2(~high, ~low) : uvec2(high | 0x80000000u, low);
}
