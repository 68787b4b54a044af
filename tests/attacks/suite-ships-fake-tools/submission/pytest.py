import _fake

_fake.main()
