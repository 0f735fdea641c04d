using NUnit.Framework;
using Sim.Core.Tokens;

namespace Sim.Core.Tests.Tokens
{
    /// <summary>CAKE's layer split against antgroup/cakekv's <c>adjust_budgets</c>, worked by hand.</summary>
    public class CakeAllocationTests
    {
        static int[] Split(double[] preference, int layers, int pool, int room)
        {
            var budgets = new int[layers];
            CakeAllocation.Split(preference, layers, pool, room, budgets);
            return budgets;
        }

        [Test]
        public void SharesFollowPreferenceAndTruncationsRemainderGoesToTheFirst()
        {
            // 400 / 4 x (1, 1, 2) exactly; 100 / 3 truncates to 33 each, the missing 1 goes to layer 0.
            Assert.That(Split(new double[] { 1, 1, 2 }, 3, 400, 1000), Is.EqualTo(new[] { 100, 100, 200 }));
            Assert.That(Split(new double[] { 1, 1, 1 }, 3, 100, 1000), Is.EqualTo(new[] { 34, 33, 33 }));
        }

        [Test]
        public void ALayerCappedAtItsRoomGivesTheExcessToTheOthers()
        {
            // (8, 1, 1) of 300 is (240, 30, 30); capped at 150, the 90 over goes 45 each to the two below the cap.
            Assert.That(Split(new double[] { 8, 1, 1 }, 3, 300, 150), Is.EqualTo(new[] { 150, 75, 75 }));
        }

        [Test]
        public void TheCascadesFirstStageGivesTheFirstLayerAllItHolds()
        {
            // Stage 1 of 3: layer 0 alone is offered the whole pool (300) and keeps what it holds (150); nothing else can take the rest.
            Assert.That(Split(new double[] { 8, 1, 1 }, 1, 300, 150), Is.EqualTo(new[] { 150 }));
            // Stage 2: layers 0 and 1 split 300 as 8 : 1 (266, 33), the cap moves 116 to layer 1, then 1 more for the total.
            Assert.That(Split(new double[] { 8, 1, 1 }, 2, 300, 150), Is.EqualTo(new[] { 150, 150 }));
        }
    }
}
