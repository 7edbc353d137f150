from django.urls import path

from accounts.views import shop

app_name = "accounts"

urlpatterns = [
    path("addresses/", shop.AddressListView.as_view(), name="address-list"),
    path("sell/", shop.SellerApplyView.as_view(), name="seller-apply"),
]
