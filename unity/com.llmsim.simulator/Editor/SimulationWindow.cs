#nullable enable
using System;
using Sim.Core.Host;
using UnityEditor;
using UnityEngine;

namespace Sim.Unity.Editor
{
    /// <summary>
    /// Window > LLM Serving Simulator: load a scene, play within a frame budget or step one iteration at a time,
    /// and watch each replica's queues, last batch and KV page map.
    /// </summary>
    public sealed class SimulationWindow : EditorWindow
    {
        const int PageCell = 6;

        string _scenePath = "";
        int _replica;
        SimulationDriver? _driver;
        string _error = "";

        [MenuItem("Window/LLM Serving Simulator")]
        public static void Open() => GetWindow<SimulationWindow>("LLM Serving Simulator");

        void Update()
        {
            if (_driver != null && _driver.Tick() > 0) Repaint();
        }

        void OnDisable()
        {
            _driver?.Dispose();
            _driver = null;
        }

        void OnGUI()
        {
            GUILayout.BeginHorizontal();
            _scenePath = EditorGUILayout.TextField("Scene", _scenePath);
            if (GUILayout.Button("Load")) Load();
            GUILayout.EndHorizontal();
            if (_error.Length > 0) EditorGUILayout.HelpBox(_error, MessageType.Error);
            if (_driver == null) return;

            GUILayout.BeginHorizontal();
            if (GUILayout.Button(_driver.Playing ? "Pause" : "Play")) _driver.Playing = !_driver.Playing;
            if (GUILayout.Button("Step")) _driver.StepIteration(_replica);
            _driver.FrameBudget = TimeSpan.FromMilliseconds(EditorGUILayout.Slider("Budget (ms)", (float)_driver.FrameBudget.TotalMilliseconds, 1, 30));
            GUILayout.EndHorizontal();
            _replica = EditorGUILayout.IntSlider("Replica", _replica, 0, _driver.Host.ReplicaCount - 1);
            GUILayout.Label(_driver.Status(_replica));

            IterationView? last = _driver.Host.LastIteration(_replica);
            if (last != null)
                GUILayout.Label("last batch: " + last.Sequences.Count + " sequences, " + last.PrefillTokens + " prefill + " + last.DecodeTokens + " decode tokens");
            GUILayout.Label("waiting: " + string.Join(" ", Ids(_driver.Host.Waiting(_replica))));
            GUILayout.Label("running: " + string.Join(" ", Ids(_driver.Host.Running(_replica))));
            DrawPageMap();
        }

        void DrawPageMap()
        {
            var colours = _driver!.PageColours(_replica);
            int perRow = Math.Max(1, (int)(position.width - 20) / PageCell);
            Rect area = GUILayoutUtility.GetRect(position.width - 20, (colours.Count / perRow + 1) * PageCell);
            for (int i = 0; i < colours.Count; i++)
            {
                var cell = new Rect(area.x + i % perRow * PageCell, area.y + i / perRow * PageCell, PageCell - 1, PageCell - 1);
                EditorGUI.DrawRect(cell, new Color(colours[i].R / 255f, colours[i].G / 255f, colours[i].B / 255f));
            }
        }

        static string[] Ids(System.Collections.Generic.IReadOnlyList<RequestView> requests)
        {
            var ids = new string[Math.Min(requests.Count, 40)];
            for (int i = 0; i < ids.Length; i++) ids[i] = requests[i].Id.ToString();
            return ids;
        }

        void Load()
        {
            _driver?.Dispose();
            _driver = null;
            try
            {
                _driver = SimulationDriver.Load(_scenePath);
                _error = "";
            }
            catch (Exception e)
            {
                // A bad scene is one line in the window, as on the command line.
                _error = e.Message;
            }
        }
    }
}
