// The end-to-end suite: scenarios with real loa-controller and loa-gateway processes.
// Each scenario lives in its own file beside this one; Support/ holds the process harness.
