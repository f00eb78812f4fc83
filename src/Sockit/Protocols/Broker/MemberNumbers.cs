namespace Sockit.Protocols.Broker;

/// <summary>Numbers for members as a kernel gives out file descriptors: the lowest free one from a first number on.</summary>
internal sealed class MemberNumbers(int first)
{
    private readonly Lock _gate = new();
    private readonly List<bool> _taken = [];

    public int Take()
    {
        lock (_gate)
        {
            int i = _taken.IndexOf(false);
            if (i < 0)
            {
                i = _taken.Count;
                _taken.Add(true);
            }
            _taken[i] = true;
            return first + i;
        }
    }

    public void Release(int number)
    {
        lock (_gate) _taken[number - first] = false;
    }
}
