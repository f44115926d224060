import NIOCore
import NIOPosix
import PropertyWatchDC09
import PropertyWatchMQTT
import ServiceLifecycle
import ArgumentParser
print("stub")
