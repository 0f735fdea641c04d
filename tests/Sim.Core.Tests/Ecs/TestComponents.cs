namespace Sim.Core.Tests.Ecs
{
    internal struct Position
    {
        public Position(int x, int y)
        {
            X = x;
            Y = y;
        }

        public int X;
        public int Y;
    }

    internal struct Velocity
    {
        public Velocity(int dx, int dy)
        {
            Dx = dx;
            Dy = dy;
        }

        public int Dx;
        public int Dy;
    }

    internal struct Health
    {
        public Health(int hp) => Hp = hp;

        public int Hp;
    }

    /// <summary>Holds a reference, so moves and swap-removes must carry references too.</summary>
    internal struct Label
    {
        public Label(string text) => Text = text;

        public string Text;
    }

    internal struct Frozen
    {
    }

    internal struct Marked
    {
    }
}
